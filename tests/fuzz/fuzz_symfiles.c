/* libFuzzer target: the text files user frames are named from
 * (probes/symfiles.h). A perf map: any bytes parse without a crash into
 * functions of a size, sorted, and a name found is one of the map's, of a
 * function that holds the address. A maps text: the first line as the
 * path sought in the rest, found only where the text holds it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "probes/symfiles.h"

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
	const char *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - (const char *)data) : 0;
	uint64_t start, end;
	struct perfmap m;
	char path[256];

	if (perfmap_parse((const char *)data, size, &m) == 0) {
		for (size_t k = 0; k < m.n; k++)
			if (!m.sym[k].size || m.sym[k].start + m.sym[k].size < m.sym[k].start ||
			    (k && m.sym[k].start < m.sym[k - 1].start))
				abort();
		lookups(&m, data, size);
		perfmap_free(&m);
	}
	/* (an empty path is an anonymous mapping's, any line without one) */
	if (plen && plen < sizeof(path) && !memchr(data, '\0', plen)) {
		memcpy(path, data, plen);
		path[plen] = '\0';
		if (maps_find((const char *)data + plen, size - plen, path, &start, &end) == 0 &&
		    !memmem(data + plen, size - plen, path, plen))
			abort();
	}
	return 0;
}
