/* Frames to a file, rotated by size and reopened on request. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "probes/frame.h"
#include "tui/recorder.h"

struct recorder {
	int fd;
	uint64_t size;        /* bytes in the file now */
	uint64_t max_bytes;   /* 0: no rotation */
	int keep;
	char path[4096];
};

static int open_file(struct recorder *r, bool new_only)
{
	/* O_NONBLOCK: a FIFO put in its place fails rather than blocks */
	int flags = O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	struct stat st;
	int fd = open(r->path, flags | (new_only ? O_EXCL : 0), 0600), e;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		e = S_ISREG(st.st_mode) ? -errno : -EINVAL;
		close(fd);
		return e;
	}
	r->fd = fd;
	r->size = st.st_size;
	return 0;
}

struct recorder *recorder_open(const char *path, bool new_only, uint64_t max_bytes, int keep,
			       char *err, size_t errlen)
{
	struct recorder *r = calloc(1, sizeof(*r));
	int e;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (strlen(path) >= sizeof(r->path) - 16) {
		snprintf(err, errlen, "record file name too long");
		free(r);
		return NULL;
	}
	strcpy(r->path, path);
	r->max_bytes = max_bytes;
	r->keep = keep;
	if ((e = open_file(r, new_only))) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 e == -EINVAL ? "not a regular file" : strerror(-e));
		free(r);
		return NULL;
	}
	return r;
}

/* path.keep is dropped, path.i becomes path.i+1, path becomes path.1; a
 * name missing from the chain is fine (a set that never filled). */
static int rotate(struct recorder *r)
{
	char from[4112], to[4112];

	close(r->fd);
	r->fd = -1;
	snprintf(to, sizeof(to), "%s.%d", r->path, r->keep);
	if (unlink(to) && errno != ENOENT)
		return -errno;
	for (int i = r->keep - 1; i >= 0; i--) {
		if (i)
			snprintf(from, sizeof(from), "%s.%d", r->path, i);
		else
			snprintf(from, sizeof(from), "%s", r->path);
		snprintf(to, sizeof(to), "%s.%d", r->path, i + 1);
		if (rename(from, to) && errno != ENOENT)
			return -errno;
	}
	return open_file(r, true);
}

int recorder_write(struct recorder *r, const char *doc, size_t len, uint64_t time_ns)
{
	size_t flen;
	void *frame;
	ssize_t n;
	int e;

	if (r->fd < 0 && (e = open_file(r, false)))
		return e;
	if (!(frame = frame_encode(doc, len, time_ns, &flen)))
		return -ENOMEM;
	if (r->max_bytes && r->size && r->size + flen > r->max_bytes && (e = rotate(r))) {
		free(frame);
		return e;
	}
	n = write(r->fd, frame, flen);
	free(frame);
	if (n > 0)
		r->size += n;
	return n == (ssize_t)flen ? 0 : n < 0 ? -errno : -EIO;
}

int recorder_reopen(struct recorder *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	return open_file(r, false);
}

const char *recorder_path(const struct recorder *r)
{
	return r->path;
}

void recorder_close(struct recorder *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}
