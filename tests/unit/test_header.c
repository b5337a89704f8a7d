/* The header: /proc read into the machine's figures (a CPU's shares over
 * the interval, exactly, from two readings of a made-up /proc), drawn as
 * meters or cells that fill the width, in UTF-8 and ASCII; its part of a
 * document round-trips, and hostile values are clamped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "probes/system.h"
#include "views/text.h"
#include "views/view.h"

static char dir[] = "/tmp/ebtop-header.XXXXXX";

static void put_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* line i of the model as plain text */
static const char *line_text(const struct pane_model *m, int i)
{
	static char buf[2048];
	size_t n = 0;

	buf[0] = '\0';
	for (int j = 0; j < m->line[i].nseg; j++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s", m->line[i].seg[j].text);
	return buf;
}

static void reads_proc(void **state)
{
	struct system_reader *r;
	struct system_snap s;

	(void)state;
	put_file("stat", "cpu  1 2 3 4 5 6 7 8 0 0\n"
			 "cpu0 100 0 100 800 0 0 0 0 0 0\n"
			 "cpu1 0 0 0 1000 0 0 0 0 0 0\n"
			 "intr 12345\n");
	put_file("loadavg", "1.50 0.75 0.25 3/250 999\n");
	put_file("meminfo", "MemTotal:        4194304 kB\nMemFree:  1 kB\n"
			    "MemAvailable:    3145728 kB\nSwapTotal: 1048576 kB\nSwapFree: 524288 kB\n");
	put_file("uptime", "183840.50 100.00\n");
	put_file("pressure/cpu", "some avg10=12.50 avg60=1.00 avg300=0.00 total=1\n"
				 "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	r = system_reader_new(dir);
	assert_non_null(r);
	system_read(r, &s);
	assert_true(s.have);
	assert_int_equal(s.ncpus, 2);
	assert_true(s.cpu[0].user == 0); /* no interval yet */
	/* cpu0: +50 user +10 nice +20 system +10 irq +10 steal +100 idle of 200 */
	put_file("stat", "cpu  1 2 3 4 5 6 7 8 0 0\n"
			 "cpu0 150 10 120 900 0 5 5 10 0 0\n"
			 "cpu1 0 0 0 1100 0 0 0 0 0 0\n");
	system_read(r, &s);
	assert_float_equal(s.cpu[0].user, 30, 1e-4);
	assert_float_equal(s.cpu[0].system, 10, 1e-4);
	assert_float_equal(s.cpu[0].irq, 5, 1e-4);
	assert_float_equal(s.cpu[0].steal, 5, 1e-4);
	assert_true(s.cpu[1].user == 0 && s.cpu[1].system == 0);
	assert_float_equal(s.load[0], 1.5, 1e-9);
	assert_int_equal(s.running, 3);
	assert_int_equal(s.tasks, 250);
	assert_int_equal(s.mem_total_kb, 4194304);
	assert_int_equal(s.mem_avail_kb, 3145728);
	assert_int_equal(s.swap_free_kb, 524288);
	assert_float_equal(s.uptime_s, 183840.5, 1e-9);
	assert_float_equal(s.psi[0], 12.5, 1e-9);
	assert_true(s.psi[1] < 0 && s.psi[2] < 0); /* no such files: no PSI */
	system_reader_free(r);
}

static struct system_snap machine(int ncpus)
{
	struct system_snap s = { .have = true, .ncpus = ncpus, .load = { 1.5, 0.75, 0.25 },
				 .running = 3, .tasks = 250, .mem_total_kb = 4 << 20,
				 .mem_avail_kb = 3 << 20, .swap_total_kb = 1 << 20,
				 .swap_free_kb = 1 << 20, .uptime_s = 183840,
				 .psi = { 12.5, 0, -1 } };

	for (int c = 0; c < ncpus; c++)
		s.cpu[c] = (struct cpu_share){ .user = c % 2 ? 100 : 50, .system = c % 2 ? 0 : 25 };
	return s;
}

static void draws_meters(void **state)
{
	struct system_snap s = machine(4);
	struct pane_model m;

	(void)state;
	header_build(&s, 80, true, &m);
	/* two lines of two meters, then the figures on two lines */
	assert_int_equal(m.nline, 4);
	for (int i = 0; i < m.nline; i++)
		assert_true(text_width(line_text(&m, i)) <= 80);
	assert_int_equal(text_width(line_text(&m, 0)), 80);
	assert_non_null(strstr(line_text(&m, 0), "0[███"));
	assert_non_null(strstr(line_text(&m, 0), "█▓▓"));
	assert_non_null(strstr(line_text(&m, 0), "75.0%] 1[███"));
	assert_non_null(strstr(line_text(&m, 1), "100.0%]"));
	assert_string_equal(line_text(&m, 2), "Load 1.50 0.75 0.25  Tasks 3/250  Up 2d 03:04");
	assert_string_equal(line_text(&m, 3),
			    "Mem 1.00GiB/4.00GiB  Swap 0B/1.00GiB  PSI cpu 12.5% mem 0.0%");
	model_free(&m);
	header_build(&s, 200, false, &m); /* wide: one line of meters, one of figures */
	assert_int_equal(m.nline, 2);
	assert_int_equal(text_width(line_text(&m, 0)), 200);
	assert_non_null(strstr(line_text(&m, 0), "0[||||"));
	assert_non_null(strstr(line_text(&m, 0), "|++++"));
	assert_non_null(strstr(line_text(&m, 1), "Up 2d 03:04  Mem 1.00GiB"));
	model_free(&m);
}

static void draws_cells(void **state)
{
	struct system_snap s = machine(300);
	struct pane_model m;

	(void)state;
	header_build(&s, 80, false, &m);
	/* past two lines of meters: a cell a CPU on two lines, the rest counted */
	assert_int_equal(m.nline, 4);
	assert_true(!strncmp(line_text(&m, 0), "CPU *%*%", 8)); /* 75% and 100% */
	assert_int_equal(strlen(line_text(&m, 0)), 4 + 75);
	assert_non_null(strstr(line_text(&m, 1), " +150"));
	model_free(&m);
	s.have = false;
	header_build(&s, 80, true, &m);
	assert_int_equal(m.nline, 0);
	model_free(&m);
}

static void json_round_trip(void **state)
{
	struct system_snap s = machine(3), back;
	cJSON *o = header_json(&s);
	struct pane_model m1, m2;

	(void)state;
	header_parse(o, &back);
	cJSON_Delete(o);
	header_build(&s, 100, true, &m1);
	header_build(&back, 100, true, &m2);
	assert_int_equal(m1.nline, m2.nline);
	for (int i = 0; i < m1.nline; i++)
		assert_string_equal(line_text(&m1, i), line_text(&m2, i));
	assert_true(back.psi[2] < 0);
	model_free(&m1);
	model_free(&m2);
	o = cJSON_Parse("{\"cpus\":[{\"user\":1e300,\"system\":-5,\"irq\":\"x\"}],"
			"\"load\":[-1,1e308,3,4],\"psi_some_avg10\":{\"cpu\":1e9}}");
	header_parse(o, &back);
	cJSON_Delete(o);
	assert_int_equal(back.ncpus, 1);
	assert_true(back.cpu[0].user == 100 && back.cpu[0].system == 0 && back.cpu[0].irq == 0);
	assert_true(back.load[0] == 0 && back.load[1] == 1e6 && back.load[2] == 3);
	assert_true(back.psi[0] == 100 && back.psi[1] < 0);
	header_build(&back, 80, true, &m1);
	for (int i = 0; i < m1.nline; i++)
		assert_true(text_width(line_text(&m1, i)) <= 80);
	model_free(&m1);
	header_parse(NULL, &back);
	assert_false(back.have);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_proc),
		cmocka_unit_test(draws_meters),
		cmocka_unit_test(draws_cells),
		cmocka_unit_test(json_round_trip),
	};
	char sub[64];
	int rc;

	if (!mkdtemp(dir))
		return 1;
	snprintf(sub, sizeof(sub), "%s/pressure", dir);
	mkdir(sub, 0700);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			rc = rc ? rc : 1;
	}
	return rc;
}
