/* libFuzzer target: files given to --replay. Any bytes open without a
 * crash, a hang or unbounded memory, as a recording (frames), --json lines
 * or a snapshot; every document in them parses into a snapshot or is
 * refused with a reason. Seeds: a few frames and JSON lines made here. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "probes/frame.h"
#include "views/view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct recording *r;
	char err[256];

	if (fd < 0) {
		fd = memfd_create("fuzz-replay", 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	r = recording_open(path, err, sizeof(err));
	if (!r) {
		if (!err[0])
			abort(); /* a refusal always says why */
		return 0;
	}
	for (size_t i = 0; i < recording_count(r); i++) {
		struct snapshot s;
		struct json_header h;
		size_t len;
		char *doc = recording_doc(r, i, &len);

		if (!doc) {
			if (errno != EBADMSG && errno != ENOMEM)
				abort();
			continue;
		}
		if (strlen(doc) > len) /* NUL-terminated at len */
			abort();
		if (json_parse_snapshot(doc, len, &s, &h, err, sizeof(err)) == 0)
			snapshot_free(&s);
		else if (!err[0])
			abort();
		free(doc);
	}
	recording_close(r);
	return 0;
}
