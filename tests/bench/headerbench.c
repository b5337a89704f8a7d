/* The header's cost: reading /proc for it (probes/system.c) and building
 * its lines, N times (default 10,000); prints "name value" lines, us per
 * refresh as the median of 9 batches. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "probes/system.h"
#include "views/view.h"

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000;
	struct system_reader *r = system_reader_new("/proc");
	static struct system_snap s;
	double rd[9], bd[9];

	if (!r || n < 1)
		return 1;
	system_read(r, &s);
	for (int b = 0; b < 9; b++) {
		double t0 = now_us();

		for (long i = 0; i < n / 9 + 1; i++)
			system_read(r, &s);
		rd[b] = (now_us() - t0) / (n / 9 + 1);
		t0 = now_us();
		for (long i = 0; i < n / 9 + 1; i++) {
			struct pane_model m;

			header_build(&s, 160, true, &m);
			model_free(&m);
		}
		bd[b] = (now_us() - t0) / (n / 9 + 1);
	}
	qsort(rd, 9, sizeof(rd[0]), cmp);
	qsort(bd, 9, sizeof(bd[0]), cmp);
	printf("cpus %d\nread_proc_us %.1f\nbuild_lines_us %.1f\n", s.ncpus, rd[4], bd[4]);
	system_reader_free(r);
	return 0;
}
