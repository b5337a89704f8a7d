/* User names from a passwd file: the first entry of a uid names it, lines
 * that do not parse are skipped, long names are cut, a missing file gives
 * numbers, and a changed file is read again; a refresh's rows get names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "probes/snapshot.h"
#include "probes/users.h"

static char path[] = "/tmp/ebtop-passwd.XXXXXX";

static void write_passwd(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *name_of(uint32_t uid)
{
	static char buf[64];

	users_name(uid, buf, sizeof(buf));
	return buf;
}

static void names(void **state)
{
	(void)state;
	write_passwd("root:x:0:0:root:/root:/bin/bash\n"
		     "nobody:x:65534:65534::/:/usr/sbin/nologin\n"
		     "toor:x:0:0:second root:/root:/bin/sh\n"
		     "no colons here\n"
		     ":x:7:7:empty name\n"
		     "bad:x:12a:1\n"
		     "huge:x:99999999999:1\n"
		     "a-name-that-is-far-longer-than-thirty-one-bytes:x:1001:1\n"
		     "last:x:4294967295:1"); /* no final newline */
	users_set_file(path);
	assert_string_equal(name_of(0), "root");
	assert_string_equal(name_of(65534), "nobody");
	assert_string_equal(name_of(7), "7");
	assert_string_equal(name_of(12), "12");
	assert_string_equal(name_of(1001), "a-name-that-is-far-longer-than-");
	assert_string_equal(name_of(4294967295u), "last");
	assert_string_equal(name_of(5), "5");
}

static void changes(void **state)
{
	(void)state;
	users_set_file("/nonexistent/passwd");
	assert_string_equal(name_of(0), "0");
	users_set_file(path);
	write_passwd("alpha:x:1:1\n");
	assert_string_equal(name_of(1), "alpha");
	write_passwd("beta:x:1:1::/:/bin/sh\n"); /* another size: read again */
	{
		struct snapshot s;
		struct exec_rec rec = { .refs = 1, .uid = 1 }, *recs[] = { &rec };
		struct cpu_row row = { .uid = 1 };

		memset(&s, 0, sizeof(s));
		s.cpu.rows = &row;
		s.cpu.n = 1;
		s.exec.recs = recs;
		s.exec.n = s.exec.nnew = 1;
		users_fill(&s);
		assert_string_equal(row.user, "beta");
		assert_string_equal(rec.user, "beta");
	}
	unlink(path);
	{
		struct snapshot s;
		struct cpu_row row = { .uid = 1 };

		memset(&s, 0, sizeof(s));
		s.cpu.rows = &row;
		s.cpu.n = 1;
		users_fill(&s); /* the file is gone: numbers */
		assert_string_equal(row.user, "1");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(changes),
	};
	int fd = mkstemp(path), rc;

	if (fd < 0)
		return 1;
	close(fd);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	users_free();
	return rc;
}
