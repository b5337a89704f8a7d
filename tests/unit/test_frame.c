/* Recordings: frames round-trip; a frame cut short at the end, a flipped
 * byte, garbage between frames and a frame of a newer version each cost
 * that frame alone and are counted; an empty file is one clear error;
 * --json output (plain, gzip, zstd), a pretty s snapshot and a rotated set
 * open as frames too; and a replayed document parses back into the
 * snapshot that made it. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>
#include "probes/frame.h"
#include "probes/histogram.h"
#include "tui/recorder.h"
#include "views/view.h"

static char dir[] = "/tmp/ebtop-frame.XXXXXX";

static const char *path_of(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

/* Document n: a small "ebtop/1" document at second n. */
static char *doc(int n)
{
	char *d;

	if (asprintf(&d, "{\"schema\":\"ebtop/1\",\"time\":\"2026-12-01T10:00:%02d.000Z\","
		     "\"interval_s\":1,\"view\":\"cpu\",\"filter\":{\"pids\":[],\"cgroup\":null},"
		     "\"cpu\":{\"ncpus\":2,\"idle_ns\":5,\"processes\":[{\"pid\":%d,\"comm\":\"p%d\","
		     "\"cpu_pct\":50,\"oncpu_ns\":500000000,\"cgroup\":\"/\"}]}}",
		     n, 100 + n, n) < 0)
		abort();
	return d;
}

static void write_frames(const char *name, int n, void (*mangle)(int i, unsigned char *f, size_t len))
{
	int fd = open(path_of(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	for (int i = 0; i < n; i++) {
		char *d = doc(i);
		size_t len;
		unsigned char *f = frame_encode(d, strlen(d), (uint64_t)(1796119200 + i) * 1000000000ull, &len);

		assert_non_null(f);
		if (mangle)
			mangle(i, f, len);
		assert_int_equal(write(fd, f, len), (ssize_t)len);
		free(f);
		free(d);
	}
	close(fd);
}

/* The documents of a recording, as pids (100 + n each): "100 101 103". */
static void expect_pids(const char *name, const char *want, size_t damaged)
{
	char err[256], got[256] = "";
	struct recording *r = recording_open(path_of(name), err, sizeof(err));

	if (!r)
		print_error("%s: %s\n", name, err);
	assert_non_null(r);
	for (size_t i = 0; i < recording_count(r); i++) {
		size_t len;
		char *d = recording_doc(r, i, &len);
		const char *p = d ? strstr(d, "\"pid\":") : NULL;

		if (p)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%d", *got ? " " : "",
				 atoi(p + 6));
		free(d);
	}
	assert_string_equal(got, want);
	assert_int_equal(recording_damaged(r), damaged);
	recording_close(r);
}

static void round_trip(void **state)
{
	char err[256];
	struct recording *r;

	(void)state;
	write_frames("clean", 6, NULL);
	expect_pids("clean", "100 101 102 103 104 105", 0);
	r = recording_open(path_of("clean"), err, sizeof(err));
	assert_int_equal(recording_find(r, (uint64_t)(1796119200 + 3) * 1000000000ull + 5), 3);
	assert_int_equal(recording_find(r, 0), 0);
	recording_close(r);
}

static void cut_short(void **state)
{
	(void)state;
	write_frames("cut", 6, NULL);
	{
		FILE *f = fopen(path_of("cut"), "r+");
		long size;

		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fclose(f);
		assert_int_equal(truncate(path_of("cut"), size - 10), 0); /* kill -9 mid-write */
	}
	expect_pids("cut", "100 101 102 103 104", 1);
}

static void flip_frame_4(int i, unsigned char *f, size_t len)
{
	if (i == 4)
		f[len - 3] ^= 0x40; /* in the payload: the CRC catches it */
}

static void newer_frame_2(int i, unsigned char *f, size_t len)
{
	(void)len;
	if (i == 2)
		f[4] = 9; /* a version this reader does not know */
}

static void flipped_byte(void **state)
{
	(void)state;
	write_frames("flip", 6, flip_frame_4);
	expect_pids("flip", "100 101 102 103 105", 1);
	write_frames("newer", 6, newer_frame_2);
	expect_pids("newer", "100 101 103 104 105", 1);
}

static void garbage_between(void **state)
{
	int fd;

	(void)state;
	write_frames("garbage", 3, NULL);
	fd = open(path_of("garbage"), O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "EBF1 junk that is not a frame at all", 36), 36);
	close(fd);
	{
		char *d = doc(7);
		size_t len;
		void *f = frame_encode(d, strlen(d), 7, &len);

		fd = open(path_of("garbage"), O_WRONLY | O_APPEND);
		assert_int_equal(write(fd, f, len), (ssize_t)len);
		close(fd);
		free(f);
		free(d);
	}
	expect_pids("garbage", "100 101 102 107", 1);
}

static void empty_and_absent(void **state)
{
	char err[256];
	int fd = open(path_of("empty"), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	(void)state;
	close(fd);
	assert_null(recording_open(path_of("empty"), err, sizeof(err)));
	assert_non_null(strstr(err, "no ebtop document"));
	assert_null(recording_open(path_of("absent"), err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
}

static void json_inputs(void **state)
{
	FILE *f = fopen(path_of("lines.json"), "w");
	gzFile gz = gzopen(path_of("lines.json.gz"), "wb");
	char all[8192] = "";

	(void)state;
	for (int i = 0; i < 4; i++) {
		char *d = doc(i);

		assert_non_null(d);
		fprintf(f, "%s\n", d);
		gzprintf(gz, "%s\n", d);
		strcat(all, d);
		strcat(all, "\n");
		if (i == 1) { /* a line that is not JSON: skipped, counted */
			fprintf(f, "{\"schema\": broken\n");
			gzprintf(gz, "{\"schema\": broken\n");
		}
		free(d);
	}
	fclose(f);
	gzclose(gz);
	expect_pids("lines.json", "100 101 102 103", 1);
	expect_pids("lines.json.gz", "100 101 102 103", 1);
	{
		size_t cap = ZSTD_compressBound(strlen(all)), n;
		void *z = malloc(cap);

		n = ZSTD_compress(z, cap, all, strlen(all), 3);
		f = fopen(path_of("lines.json.zst"), "w");
		fwrite(z, 1, n, f);
		fclose(f);
		free(z);
	}
	expect_pids("lines.json.zst", "100 101 102 103", 0);
	/* an s snapshot: one document over many lines */
	f = fopen(path_of("snap.json"), "w");
	fprintf(f, "{\n  \"schema\": \"ebtop/1\",\n  \"time\": \"2026-12-01T10:00:00.000Z\",\n"
		   "  \"cpu\": {\"processes\": [{\"pid\": 42}]}\n}\n");
	fclose(f);
	expect_pids("snap.json", "42", 0);
}

static void rotated_set(void **state)
{
	char name[64];

	(void)state;
	for (int k = 2; k >= 0; k--) { /* set.2 holds the oldest */
		char *d = doc(10 - k);
		size_t len;
		void *fr = frame_encode(d, strlen(d), 10 - k, &len);
		int fd;

		snprintf(name, sizeof(name), k ? "set.%d" : "set", k);
		fd = open(path_of(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_int_equal(write(fd, fr, len), (ssize_t)len);
		close(fd);
		free(fr);
		free(d);
	}
	expect_pids("set", "108 109 110", 0);
}

/* --record-max: each frame that would take the file past the bound first
 * moves the set along; --record-keep bounds the set; the reader opens the
 * set as one recording, in order. */
static void recorder_rotates(void **state)
{
	char err[256], moved[256];
	struct recorder *r;
	size_t flen;
	char *d = doc(0);
	void *fr = frame_encode(d, strlen(d), 0, &flen);
	struct stat st;

	(void)state;
	free(fr);
	free(d);
	/* room for two frames a file (the documents differ by a digit or two) */
	r = recorder_open(path_of("rot"), true, 2 * flen + flen / 2, 2, err, sizeof(err));
	assert_non_null(r);
	for (int i = 0; i < 10; i++) {
		d = doc(i);
		assert_int_equal(recorder_write(r, d, strlen(d), (uint64_t)i * 1000000000ull), 0);
		free(d);
	}
	recorder_close(r);
	/* frames 0-1, 2-3, 4-5, 6-7, 8-9: the newest three files are kept */
	assert_int_equal(access(path_of("rot.3"), F_OK), -1);
	expect_pids("rot.2", "104 105", 0);
	expect_pids("rot.1", "106 107", 0);
	expect_pids("rot", "104 105 106 107 108 109", 0);
	assert_int_equal(stat(path_of("rot"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* R's file must be new; --record's may be appended to, never truncated */
	assert_null(recorder_open(path_of("rot"), true, 0, 1, err, sizeof(err)));
	assert_non_null(strstr(err, "File exists"));
	r = recorder_open(path_of("rot"), false, 0, 1, err, sizeof(err));
	assert_non_null(r);
	d = doc(10);
	assert_int_equal(recorder_write(r, d, strlen(d), 10000000000ull), 0);
	free(d);
	/* SIGHUP after logrotate moved the file: the next frame starts a new one */
	snprintf(moved, sizeof(moved), "%s", path_of("moved")); /* path_of's buffer is one */
	assert_int_equal(rename(path_of("rot"), moved), 0);
	assert_int_equal(recorder_reopen(r), 0);
	d = doc(11);
	assert_int_equal(recorder_write(r, d, strlen(d), 11000000000ull), 0);
	free(d);
	recorder_close(r);
	expect_pids("moved", "108 109 110", 0);
	assert_int_equal(unlink(path_of("rot.1")) | unlink(path_of("rot.2")), 0);
	expect_pids("rot", "111", 0);
	/* never through a symlink */
	assert_int_equal(symlink(moved, path_of("link")), 0);
	assert_null(recorder_open(path_of("link"), false, 0, 1, err, sizeof(err)));
	assert_non_null(strstr(err, "link"));
}

/* views/json.c's writer and reader are inverses for what a pane shows. */
static void parse_back(void **state)
{
	struct snapshot s, back;
	struct json_header h;
	struct json_meta meta = { .view = "tcp", .pids = (unsigned[]){ 7 }, .npids = 1 };
	struct cpu_row row = { .pid = 7, .uid = 3, .threads = 2, .oncpu_ns = 250000000, .pct = 25,
			       .comm = "seven", .user = "sev", .cgroup = "/a.service" };
	char err[256], *text, *again;
	cJSON *doc1, *doc2;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.wall.tv_sec = 1796119200;
	s.wall.tv_nsec = 123000000;
	s.interval_s = 1;
	s.cpu.ncpus = 2;
	s.cpu.n = 1;
	s.cpu.rows = &row;
	s.runq.count = 3;
	s.runq.hist[bucket_index(100)] = 2;
	s.runq.hist[bucket_index(5000)] = 1;
	s.runq.np = 1;
	s.runq.procs = &(struct runq_proc_row){ .pid = 7, .comm = "seven", .count = 3 };
	s.runq.procs[0].hist[bucket_index(100)] = 2;
	s.runq.procs[0].hist[bucket_index(5000)] = 1;
	snprintf(s.error[PANE_SYS], sizeof(s.error[0]), "sys: not here");
	doc1 = json_snapshot(&s, &meta);
	text = json_print(doc1);
	assert_int_equal(json_parse_snapshot(text, strlen(text), &back, &h, err, sizeof(err)), 0);
	assert_string_equal(h.view, "tcp");
	assert_int_equal(h.npids, 1);
	assert_int_equal(h.pids[0], 7);
	assert_int_equal(back.wall.tv_sec, s.wall.tv_sec);
	assert_int_equal(back.cpu.n, 1);
	assert_string_equal(back.cpu.rows[0].cgroup, "/a.service");
	assert_int_equal(back.runq.hist[bucket_index(100)], 2);
	assert_int_equal(back.runq.hist[bucket_index(5000)], 1);
	assert_int_equal(back.runq.np, 1);
	assert_int_equal(back.runq.procs[0].hist[bucket_index(100)], 2); /* its own buckets */
	assert_int_equal(back.runq.procs[0].hist[bucket_index(5000)], 1);
	assert_string_equal(back.error[PANE_SYS], "sys: not here");
	doc2 = json_snapshot(&back, &meta);
	again = json_print(doc2);
	/* the same document, but for host and kernel, which are the reader's own */
	cJSON_DeleteItemFromObject(doc1, "host");
	cJSON_DeleteItemFromObject(doc1, "kernel");
	cJSON_DeleteItemFromObject(doc2, "host");
	cJSON_DeleteItemFromObject(doc2, "kernel");
	assert_true(cJSON_Compare(doc1, doc2, true));
	free(text);
	free(again);
	cJSON_Delete(doc1);
	cJSON_Delete(doc2);
	snapshot_free(&back);
	assert_int_equal(json_parse_snapshot("[1,2]", 5, &back, &h, err, sizeof(err)), -EBADMSG);
	assert_int_equal(json_parse_snapshot("{\"schema\":\"ebtop/1\",\"cpu\":7}", 28, &back, &h,
					     err, sizeof(err)),
			 -EBADMSG); /* no time */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),   cmocka_unit_test(cut_short),
		cmocka_unit_test(flipped_byte), cmocka_unit_test(garbage_between),
		cmocka_unit_test(empty_and_absent), cmocka_unit_test(json_inputs),
		cmocka_unit_test(rotated_set),  cmocka_unit_test(recorder_rotates),
		cmocka_unit_test(parse_back),
	};
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			rc = rc ? rc : 1;
	}
	return rc;
}
