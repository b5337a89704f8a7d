#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tui/snapfile.h"
#include "views/text.h"
#include "views/view.h"

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

/* Hostnames can hold anything; keep file names to a safe alphabet. */
static void safe_host(char *out, size_t len)
{
	char host[256] = "";

	gethostname(host, sizeof(host) - 1);
	size_t j = 0;

	for (size_t i = 0; host[i] && j + 1 < len; i++) {
		char c = host[i];

		out[j++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
					   c == '-' || c == '.'
				   ? c
				   : '_';
	}
	out[j] = '\0';
	if (!j)
		snprintf(out, len, "host");
}

int snapfile_write(const char *dir, const cJSON *doc, char *path, size_t len)
{
	char host[64], stamp[32], tmp[4096];
	char *text = json_print(doc);
	time_t now = time(NULL);
	struct tm tm;
	int fd, err;

	if (!text)
		return -ENOMEM;
	if (!dir || !*dir)
		dir = ".";
	safe_host(host, sizeof(host));
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(tmp, sizeof(tmp), "%s/.ebtop-snapshot-XXXXXX", dir);
	fd = mkstemp(tmp); /* mode 0600 */
	if (fd < 0) {
		free(text);
		return -errno;
	}
	err = write_all(fd, text, strlen(text));
	if (!err)
		err = write_all(fd, "\n", 1);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	free(text);
	/* link() refuses an existing name: that is the exclusive create */
	for (int n = 1; !err; n++) {
		if (n == 1)
			snprintf(path, len, "%s/ebtop-%s-%s.json", dir, host, stamp);
		else
			snprintf(path, len, "%s/ebtop-%s-%s-%d.json", dir, host, stamp, n);
		if (link(tmp, path) == 0)
			break;
		if (errno != EEXIST || n > 1000)
			err = -errno;
	}
	unlink(tmp);
	return err;
}
