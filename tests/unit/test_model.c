/* Tables: sort order per column type, reverse, search, layout, batch text,
 * and number formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "views/model.h"
#include "views/view.h"

static const struct column cols[] = {
	{ "PID", 5, ALIGN_RIGHT, true, 0 },
	{ "CPU%", 5, ALIGN_RIGHT, true, 0 },
	{ "COMMAND", 8, ALIGN_LEFT, false, 0 },
};

static void fill(struct pane_model *m)
{
	static const struct { unsigned pid; double cpu; const char *comm; } rows[] = {
		{ 30, 5.0, "bash" }, { 10, 99.5, "Yes" }, { 20, 12.25, "sshd" }, { 40, 5.0, "awk" },
	};

	model_init(m, cols, 3, 2);
	for (size_t i = 0; i < 4; i++) {
		table_row(&m->table, rows[i].pid);
		table_cell(&m->table, rows[i].pid, "%u", rows[i].pid);
		table_cell(&m->table, rows[i].cpu, "%.1f", rows[i].cpu);
		table_cell(&m->table, 0, "%s", rows[i].comm);
	}
}

static void order(const struct pane_model *m, const unsigned *want)
{
	for (int i = 0; i < m->table.nrow; i++)
		assert_int_equal(m->table.row[i].pid, want[i]);
}

static void sorting(void **state)
{
	struct pane_model m;

	(void)state;
	fill(&m);
	table_sort(&m.table, 1, false); /* numeric: largest first, ties by pid */
	order(&m, (unsigned[]){ 10, 20, 30, 40 });
	table_sort(&m.table, 1, true);
	order(&m, (unsigned[]){ 40, 30, 20, 10 });
	table_sort(&m.table, 2, false); /* text: ascending, case-insensitive */
	order(&m, (unsigned[]){ 40, 30, 20, 10 });
	table_sort(&m.table, 0, false);
	order(&m, (unsigned[]){ 40, 30, 20, 10 });
	table_sort(&m.table, 7, false); /* out of range: unchanged */
	order(&m, (unsigned[]){ 40, 30, 20, 10 });
	model_free(&m);
}

static void searching(void **state)
{
	struct pane_model m;

	(void)state;
	fill(&m); /* order: 30 bash, 10 Yes, 20 sshd, 40 awk */
	assert_int_equal(table_find(&m.table, -1, "SSH", 1), 2);
	assert_int_equal(table_find(&m.table, 2, "s", 1), 0);   /* wraps: bash */
	assert_int_equal(table_find(&m.table, 0, "s", -1), 2);  /* backwards: sshd */
	assert_int_equal(table_find(&m.table, 0, "99.5", 1), 1); /* any cell */
	assert_int_equal(table_find(&m.table, 0, "nothing", 1), -1);
	assert_int_equal(table_find(&m.table, 0, "", 1), -1);
	model_free(&m);
}

static void layout_and_print(void **state)
{
	struct pane_model m;
	int w[3];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	fill(&m);
	table_layout(&m.table, 40, w);
	assert_int_equal(w[0], 5);
	assert_int_equal(w[1], 5);
	assert_int_equal(w[0] + w[1] + w[2] + 2, 40); /* the last column takes the rest */
	model_line(&m);
	model_seg(&m, ROLE_TITLE, "title \x1b[2J");
	model_print(&m, f, 40);
	fclose(f);
	assert_non_null(strstr(buf, "title \\x1b[2J\n"));
	assert_non_null(strstr(buf, "  PID  CPU% COMMAND\n"));
	assert_non_null(strstr(buf, "   10  99.5 Yes\n"));
	free(buf);
	model_free(&m);
}

static void formatting(void **state)
{
	char b[32];

	(void)state;
	fmt_duration_ns(b, sizeof(b), 999);
	assert_string_equal(b, "999ns");
	fmt_duration_ns(b, sizeof(b), 1500);
	assert_string_equal(b, "1.5us");
	fmt_duration_ns(b, sizeof(b), 2.5e6);
	assert_string_equal(b, "2.5ms");
	fmt_duration_ns(b, sizeof(b), 3.25e9);
	assert_string_equal(b, "3.25s");
	fmt_count(b, sizeof(b), 999);
	assert_string_equal(b, "999");
	fmt_count(b, sizeof(b), 1500);
	assert_string_equal(b, "1.50k");
	fmt_count(b, sizeof(b), 2.5e6);
	assert_string_equal(b, "2.50M");
	fmt_bytes(b, sizeof(b), 1023);
	assert_string_equal(b, "1023B");
	fmt_bytes(b, sizeof(b), 10 * 1048576.0);
	assert_string_equal(b, "10.0MiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sorting),
		cmocka_unit_test(searching),
		cmocka_unit_test(layout_and_print),
		cmocka_unit_test(formatting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
