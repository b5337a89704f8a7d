/* libFuzzer target: a JIT's perf map (probes/perfmap.h). Any bytes parse
 * without a crash into functions of a size, sorted; a name found is one of
 * the map's, of a function that holds the address. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "probes/perfmap.h"

static void lookups(const struct perfmap *m, const uint8_t *data, size_t size)
{
	for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
		uint64_t addr;
		const char *name;

		memcpy(&addr, data + i, 8);
		if (!(name = perfmap_lookup(m, addr)))
			continue;
		for (size_t k = 0;; k++) {
			if (k == m->n) /* not the name of a function holding addr */
				abort();
			if (m->names + m->sym[k].name == name && addr - m->sym[k].start < m->sym[k].size)
				break;
		}
		if (strlen(name) >= PERFMAP_NAME_MAX)
			abort();
	}
	/* each function's own start finds a function holding it */
	for (size_t k = 0; k < m->n && k < 256; k++)
		if (!perfmap_lookup(m, m->sym[k].start))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perfmap m;

	if (perfmap_parse((const char *)data, size, &m))
		return 0;
	for (size_t k = 0; k < m.n; k++)
		if (!m.sym[k].size || m.sym[k].start + m.sym[k].size < m.sym[k].start ||
		    (k && m.sym[k].start < m.sym[k - 1].start))
			abort();
	lookups(&m, data, size);
	perfmap_free(&m);
	return 0;
}
