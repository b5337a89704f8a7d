/* Replay at scale: writes a recording of N frames (default 86,400: a day
 * at 1 s) made from a template document, then times opening it and
 * showing the first frame, and jumps to random times (the frame alone,
 * and as the UI shows it, with the heat map and exec stream rebuilt from
 * the frames before), and reports the peak RSS. Prints "name value" lines. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include "probes/frame.h"
#include "tui/replay.h"

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 86400;
	const char *tmpl = argc > 2 ? argv[2] : "tests/fuzz/replay/one-line.json";
	const char *out = argc > 3 ? argv[3] : "/tmp/ebtop-replaybench.ebt";
	char *doc = NULL, *t, err[256];
	size_t cap = 0, total = 0;
	ssize_t len;
	FILE *f = fopen(tmpl, "r");
	int fd;
	double t0, jumps[20], shows[20];
	struct recording *rec;
	struct replay *rp;
	struct snapshot s;
	struct json_header h;
	struct rusage ru;

	if (!f || (len = getline(&doc, &cap, f)) <= 0 || !(t = strstr(doc, "\"time\":\"")))
		return 1;
	fclose(f);
	doc[--len] = '\0'; /* the newline */
	t += 8;
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	for (long i = 0; i < n; i++) {
		time_t sec = 1796119200 + i;
		struct tm tm;
		size_t flen;
		void *fr;

		gmtime_r(&sec, &tm);
		strftime(t, 20, "%Y-%m-%dT%H:%M:%S", &tm);
		t[19] = '.';
		fr = frame_encode(doc, len, (uint64_t)sec * 1000000000ull, &flen);
		if (!fr || write(fd, fr, flen) != (ssize_t)flen)
			return 1;
		total += flen;
		free(fr);
	}
	close(fd);
	printf("frames %ld\n", n);
	printf("json_bytes_per_frame %zd\n", len + 1);
	printf("frame_bytes_per_frame %.0f\n", (double)total / n);
	t0 = now_ms();
	rp = replay_open(out, err, sizeof(err));
	if (!rp || replay_load(rp, 0, &s, &h, err, sizeof(err)))
		return 1;
	printf("open_and_first_frame_ms %.1f\n", now_ms() - t0);
	snapshot_free(&s);
	rec = recording_open(out, err, sizeof(err));
	srand(1);
	for (int k = 0; k < 20; k++) {
		uint64_t when = (1796119200ull + rand() % n) * 1000000000ull;
		size_t dlen;
		char *d;

		t0 = now_ms();
		d = recording_doc(rec, recording_find(rec, when), &dlen);
		if (!d || json_parse_snapshot(d, dlen, &s, &h, err, sizeof(err)))
			return 1;
		snapshot_free(&s);
		free(d);
		jumps[k] = now_ms() - t0;
		t0 = now_ms();
		if (replay_load(rp, replay_find(rp, when), &s, &h, err, sizeof(err)))
			return 1;
		snapshot_free(&s);
		shows[k] = now_ms() - t0;
	}
	qsort(jumps, 20, sizeof(double), cmp);
	qsort(shows, 20, sizeof(double), cmp);
	printf("jump_frame_ms_median %.2f\n", (jumps[9] + jumps[10]) / 2);
	printf("jump_shown_ms_median %.1f\n", (shows[9] + shows[10]) / 2);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak_rss_mb %.1f\n", ru.ru_maxrss / 1024.0);
	recording_close(rec);
	replay_free(rp);
	unlink(out);
	free(doc);
	return 0;
}
