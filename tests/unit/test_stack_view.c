/* The stack pane's view from a known snapshot: the table's shares and
 * leaf-first stacks, the flame graph's layout (widths in proportion, every
 * line exactly the screen's width, colours by kind), and JSON there and
 * back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "views/text.h"
#include "views/view.h"

static char *frames_of(const char *const *names, int n, uint32_t *count)
{
	size_t len = 0;
	char *buf;

	for (int i = 0; i < n; i++)
		len += strlen(names[i]) + 1;
	buf = malloc(len);
	len = 0;
	for (int i = 0; i < n; i++) {
		strcpy(buf + len, names[i]);
		len += strlen(names[i]) + 1;
	}
	*count = (uint32_t)n;
	return buf;
}

/* 75 samples in main;hot_a, 25 in main;hot_b and its kernel frame. */
static void make_snap(struct snapshot *s)
{
	static const char *const a[] = { "main", "hot_a" }, *const b[] = { "main", "hot_b", "do_syscall_64_[k]" };

	memset(s, 0, sizeof(*s));
	s->interval_s = 1;
	s->stack.collecting = true;
	s->stack.hz = 49;
	s->stack.samples = 100;
	s->stack.n = 2;
	s->stack.rows = calloc(2, sizeof(*s->stack.rows));
	s->stack.rows[0] = (struct stack_row){ .pid = 7, .comm = "app", .count = 75 };
	s->stack.rows[0].frames = frames_of(a, 2, &s->stack.rows[0].nframes);
	s->stack.rows[1] = (struct stack_row){ .pid = 7, .comm = "app", .count = 25 };
	s->stack.rows[1].frames = frames_of(b, 3, &s->stack.rows[1].nframes);
}

static int line_width(const struct line *l)
{
	int w = 0;

	for (int i = 0; i < l->nseg; i++)
		w += text_width(l->seg[i].text);
	return w;
}

/* The segment whose text starts with name on line l, or NULL. */
static const struct seg *seg_named(const struct line *l, const char *name)
{
	for (int i = 0; i < l->nseg; i++)
		if (!strncmp(l->seg[i].text, name, strlen(name)))
			return &l->seg[i];
	return NULL;
}

static void table(void **state)
{
	struct view_opts o = { .width = 120, .height = 30 };
	struct pane_model m;
	struct snapshot s;

	(void)state;
	make_snap(&s);
	pane_build(PANE_STACK, &s, &o, &m);
	assert_int_equal(m.table.nrow, 2);
	assert_string_equal(m.table.row[0].cell[0], "75.0");
	assert_string_equal(m.table.row[1].cell[0], "25.0");
	assert_string_equal(m.table.row[0].cell[4], "hot_a < main");
	assert_string_equal(m.table.row[1].cell[4], "do_syscall_64_[k] < hot_b < main");
	assert_true(m.table.row[0].id != m.table.row[1].id);
	model_free(&m);
	snapshot_free(&s);
}

static void flame(void **state)
{
	struct view_opts o = { .width = 80, .height = 30, .stack_flame = true };
	const struct seg *sa, *sb, *sk;
	struct pane_model m;
	struct snapshot s;
	int first;

	(void)state;
	make_snap(&s);
	pane_build(PANE_STACK, &s, &o, &m);
	assert_int_equal(m.table.nrow, 0);
	/* two title lines, then all, app, main, hot_a|hot_b, the kernel frame */
	first = 2;
	assert_int_equal(m.nline, first + 5);
	for (int d = 0; d < 3; d++)
		assert_int_equal(line_width(&m.line[first + d]), 80);
	assert_non_null(seg_named(&m.line[first], "all"));
	assert_non_null(seg_named(&m.line[first + 1], "app"));
	assert_non_null(seg_named(&m.line[first + 2], "main"));
	sa = seg_named(&m.line[first + 3], "hot_a");
	sb = seg_named(&m.line[first + 3], "hot_b");
	assert_non_null(sa);
	assert_non_null(sb);
	/* 60 and 20 cells, each with one cell of gap after it */
	assert_int_equal(text_width(sa->text), 59);
	assert_int_equal(text_width(sb->text), 19);
	assert_int_equal(sa->role, ROLE_FLAME_USER);
	sk = seg_named(&m.line[first + 4], "do_syscall_64");
	assert_non_null(sk);
	assert_int_equal(sk->role, ROLE_FLAME_KERNEL);
	assert_null(strstr(sk->text, "_[k]")); /* the colour says it */
	model_free(&m);
	/* too narrow for a frame: it is left out, not drawn as a sliver */
	o.width = 3;
	pane_build(PANE_STACK, &s, &o, &m);
	for (int i = first; i < m.nline; i++)
		assert_true(line_width(&m.line[i]) <= 3);
	model_free(&m);
	snapshot_free(&s);
}

/* The text of line l, its segments joined, into buf. */
static const char *line_text(const struct line *l, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < l->nseg && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s", l->seg[i].text);
	return buf;
}

/* The keys' moves: down to the widest callee, right to the next block,
 * nowhere past the last; Enter zooms the selected frame to the full width
 * with its callers named above; Backspace out a frame at a time, then
 * nowhere; a search marks frames and says their share. */
static void flame_keys(void **state)
{
	struct view_opts o = { .width = 100, .height = 30, .stack_flame = true };
	const struct seg *sg;
	struct pane_model m;
	struct snapshot s;
	char buf[512];

	(void)state;
	make_snap(&s);
	for (int i = 0; i < 3; i++)
		assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_DOWN), 0);
	assert_string_equal(o.flame_sel, "app\x1fmain\x1fhot_a");
	assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_RIGHT), 0);
	assert_string_equal(o.flame_sel, "app\x1fmain\x1fhot_b");
	assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_RIGHT), -1);
	assert_string_equal(o.flame_sel, "app\x1fmain\x1fhot_b");
	assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_UP), 0);
	assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_ZOOM), 0);
	assert_string_equal(o.flame_zoom, "app\x1fmain");
	/* the zoom's frame is the selection and cannot go up out of it */
	assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_UP), -1);
	assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_DOWN), 0);
	pane_build(PANE_STACK, &s, &o, &m);
	assert_string_equal(line_text(&m.line[2], buf, sizeof(buf)), "in all > app");
	/* main over the whole width, hot_a three quarters of it */
	assert_non_null(seg_named(&m.line[3], "main"));
	assert_int_equal(line_width(&m.line[3]), 100);
	sg = seg_named(&m.line[4], "hot_a");
	assert_non_null(sg);
	assert_int_equal(text_width(sg->text), 74);
	assert_int_equal(sg->role, ROLE_FLAME_SELECTED);
	assert_non_null(strstr(line_text(&m.line[1], buf, sizeof(buf)),
			       "hot_a: 75 samples, 75.0% (75.0% of main)"));
	model_free(&m);
	o.flame_match = "hot_b";
	pane_build(PANE_STACK, &s, &o, &m);
	assert_int_equal(seg_named(&m.line[4], "hot_b")->role, ROLE_FLAME_MATCH);
	assert_non_null(strstr(line_text(&m.line[1], buf, sizeof(buf)), "\"hot_b\": 25.0%"));
	model_free(&m);
	/* the keys' hint where it fits, not past the screen's edge */
	o.width = 120;
	pane_build(PANE_STACK, &s, &o, &m);
	assert_non_null(strstr(line_text(&m.line[1], buf, sizeof(buf)), "Backspace: out"));
	model_free(&m);
	o.width = 60;
	pane_build(PANE_STACK, &s, &o, &m);
	assert_null(strstr(line_text(&m.line[1], buf, sizeof(buf)), "Backspace: out"));
	assert_true(line_width(&m.line[1]) <= 60);
	model_free(&m);
	o.width = 100;
	assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_UNZOOM), 0);
	assert_string_equal(o.flame_zoom, "app");
	assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_UNZOOM), 0);
	assert_string_equal(o.flame_zoom, "");
	assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_UNZOOM), -1);
	/* a zoom on a frame this interval has not: all is drawn, and said */
	snprintf(o.flame_zoom, sizeof(o.flame_zoom), "gone\x1fmain");
	pane_build(PANE_STACK, &s, &o, &m);
	assert_non_null(strstr(line_text(&m.line[1], buf, sizeof(buf)), "no samples now"));
	assert_non_null(seg_named(&m.line[2], "all"));
	model_free(&m);
	assert_int_equal(stack_flame_move(&s.stack, &o, FLAME_UNZOOM), 0);
	assert_string_equal(o.flame_zoom, "");
	snapshot_free(&s);
}

static void json_round_trip(void **state)
{
	struct snapshot s, back;
	struct json_header h;
	struct json_meta meta = { .view = "stack" };
	char err[128], *text;
	cJSON *doc;

	(void)state;
	make_snap(&s);
	clock_gettime(CLOCK_REALTIME, &s.wall);
	doc = json_snapshot(&s, &meta);
	text = json_print(doc);
	assert_non_null(text);
	assert_int_equal(json_parse_snapshot(text, strlen(text), &back, &h, err, sizeof(err)), 0);
	assert_int_equal(back.stack.n, 2);
	assert_int_equal(back.stack.samples, 100);
	assert_int_equal(back.stack.hz, 49);
	assert_int_equal(back.stack.rows[1].nframes, 3);
	assert_int_equal(back.stack.rows[1].count, 25);
	assert_memory_equal(back.stack.rows[1].frames, s.stack.rows[1].frames,
			    strlen("main") + strlen("hot_b") + strlen("do_syscall_64_[k]") + 3);
	free(text);
	cJSON_Delete(doc);
	snapshot_free(&back);
	snapshot_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(flame),
		cmocka_unit_test(flame_keys),
		cmocka_unit_test(json_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
