/* Writing a recording: frames appended to a file, rotated by size
 * (--record-max, --record-keep) and reopened on SIGHUP (logrotate). */
#ifndef EBTOP_RECORDER_H
#define EBTOP_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct recorder;

/* Open path for appending (new_only: it must not exist yet, as R wants),
 * 0600, never through a symlink, never truncated. max_bytes 0: no
 * rotation; else a frame that would take the file past it first moves
 * path to path.1 (path.1 to path.2 ... up to path.keep, the oldest
 * dropped). NULL with a reason in err. */
struct recorder *recorder_open(const char *path, bool new_only, uint64_t max_bytes, int keep,
			       char *err, size_t errlen);
/* Append the document taken at time_ns as one frame, with one write, so
 * a crash loses at most that frame. 0 or -errno. */
int recorder_write(struct recorder *r, const char *doc, size_t len, uint64_t time_ns);
/* Close and open the path again: after logrotate moved the file away. */
int recorder_reopen(struct recorder *r);
const char *recorder_path(const struct recorder *r);
void recorder_close(struct recorder *r);

#endif
