/* libFuzzer target: settings files. Any bytes parse without a crash;
 * whatever is accepted is in range, and formats to a file that parses
 * back to the same settings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tui/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings s, back;
	char *text;

	if (settings_parse((const char *)data, size, &s, NULL, NULL) < 0)
		abort();
	if (s.pane >= NPANES || s.pane < -1 || s.header < -1 || s.header > 1 ||
	    s.mouse < -1 || s.mouse > 1 || s.cmdline < -1 || s.cmdline > 1 || (s.delay != 0 && !(s.delay >= 0.1 && s.delay <= 3600)))
		abort();
	if (!(text = settings_format(&s)))
		return 0;
	if (settings_parse(text, strlen(text), &back, NULL, NULL) != 0 || back.pane != s.pane ||
	    strcmp(back.theme, s.theme) || back.header != s.header || back.mouse != s.mouse ||
	    back.delay != s.delay || back.cmdline != s.cmdline || back.tree != s.tree)
		abort();
	for (int p = 0; p < NPANES; p++)
		if (strcmp(back.sort[p], s.sort[p]) || back.reverse[p] != s.reverse[p])
			abort();
	free(text);
	return 0;
}
