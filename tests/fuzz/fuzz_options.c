/* libFuzzer target: the command line and the PID filter input. The input
 * is split at NUL bytes into argv; the same bytes are also a pid list as
 * typed at the p prompt. Nothing may crash; accepted values are in range. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[33] = { "ebtop" }, err[512];
	uint32_t pids[MAX_FILTER_PIDS];
	struct options o;
	static FILE *devnull;
	size_t n = 0;
	int argc = 1;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (options_parse_pids(buf, pids, MAX_FILTER_PIDS, &n, err, sizeof(err)) == 0)
		for (size_t i = 0; i < n; i++)
			if (pids[i] == 0)
				abort();
	for (size_t i = 0; i < size && argc < 32; i += strlen(buf + i) + 1)
		argv[argc++] = buf + i;
	argv[argc] = NULL;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	optind = 0; /* getopt restarts */
	opterr = 0;
	if (options_parse(argc, argv, &o, devnull, err, sizeof(err)) == PARSE_OK)
		if (o.delay < 0.1 || o.delay > 3600 || o.npids > MAX_FILTER_PIDS)
			abort();
	free(buf);
	return 0;
}
