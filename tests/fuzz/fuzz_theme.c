/* libFuzzer target: theme files. Any bytes parse without a crash, and
 * whatever is accepted is in range. */
#include <stdint.h>
#include <stdlib.h>
#include "tui/themefile.h"

static void valid(const struct tcolour *c)
{
	if (c->kind == TC_INDEX && (c->index < 0 || c->index > 255))
		abort();
	if (c->kind != TC_DEFAULT && c->kind != TC_INDEX && c->kind != TC_RGB)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme_spec s;
	int warnings = theme_parse((const char *)data, size, &s, NULL, NULL);

	if (warnings < 0)
		abort();
	for (int r = 0; r < NROLES; r++) {
		if (!s.role[r].set)
			continue;
		valid(&s.role[r].fg);
		valid(&s.role[r].bg);
		if (s.role[r].attrs & ~31u)
			abort();
	}
	return 0;
}
