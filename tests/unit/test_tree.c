/* The cpu pane's process tree (F5): each process under its parent,
 * siblings and roots by pid, indented with the glyphs of its ancestors;
 * a parent not among the rows makes a root; a cycle (a hostile recording)
 * is cut and every row still shows once; a chain as long as the rows
 * does not run out of stack; the rows are not sorted then. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "views/view.h"

enum { COMM = 6 }; /* the COMMAND column */

static void build(struct cpu_row *rows, size_t n, bool blocks, struct pane_model *m)
{
	struct snapshot s;
	struct view_opts o = { .tree = true, .blocks = blocks };

	memset(&s, 0, sizeof(s));
	s.cpu.ncpus = 1;
	s.cpu.rows = rows;
	s.cpu.n = n;
	pane_build(PANE_CPU, &s, &o, m);
	table_sort(&m->table, 3, false); /* what the app does: nothing, for a tree */
}

static struct cpu_row row(uint32_t pid, uint32_t ppid, const char *comm)
{
	struct cpu_row r = { .pid = pid, .ppid = ppid };

	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	snprintf(r.user, sizeof(r.user), "u");
	return r;
}

static void shape(void **state)
{
	struct cpu_row rows[] = {
		row(30, 1, "c"),   row(10, 1, "a"),  row(12, 10, "a2"), row(11, 10, "a1"),
		row(13, 11, "a1x"), row(20, 99, "b"), row(14, 13, "deep"),
	};
	static const char *const want[] = {
		"a", "├─ a1", "│  └─ a1x", "│     └─ deep", "└─ a2", "b", "c",
	};
	struct pane_model m;

	(void)state;
	build(rows, 7, true, &m);
	assert_int_equal(m.table.nrow, 7);
	assert_true(m.table.fixed_order);
	for (int i = 0; i < 7; i++)
		assert_string_equal(m.table.row[i].cell[COMM], want[i]);
	model_free(&m);
	build(rows, 7, false, &m);
	assert_string_equal(m.table.row[1].cell[COMM], "|- a1");
	assert_string_equal(m.table.row[2].cell[COMM], "|  `- a1x");
	model_free(&m);
}

static void hostile(void **state)
{
	/* 5 -> 6 -> 5: a cycle; 7 its own parent */
	struct cpu_row cyc[] = { row(5, 6, "x"), row(6, 5, "y"), row(7, 7, "self") };
	size_t n = 100000;
	struct cpu_row *chain = calloc(n, sizeof(*chain));
	struct pane_model m;

	(void)state;
	build(cyc, 3, true, &m);
	assert_int_equal(m.table.nrow, 3);
	/* the roots first (its own parent makes one), then the cycle, cut */
	assert_string_equal(m.table.row[0].cell[COMM], "self");
	assert_string_equal(m.table.row[1].cell[COMM], "x");
	assert_string_equal(m.table.row[2].cell[COMM], "└─ y");
	model_free(&m);
	assert_non_null(chain);
	for (size_t i = 0; i < n; i++)
		chain[i] = row(i + 1, i, "c");
	build(chain, n, true, &m);
	assert_int_equal(m.table.nrow, (int)n);
	assert_string_equal(m.table.row[0].cell[COMM], "c");
	/* past the depth shown, the indentation stops growing */
	assert_string_equal(m.table.row[n - 1].cell[COMM], m.table.row[n - 2].cell[COMM]);
	model_free(&m);
	free(chain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shape),
		cmocka_unit_test(hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
