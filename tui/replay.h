/* Replay: a second source of snapshots beside the collector. A recording
 * (or a --json file, or one s snapshot) is opened as a sequence of frames;
 * frame i becomes a snapshot that everything after it (views, JSON, the
 * screen) takes as a live one. What a frame does not carry is rebuilt
 * from the frames before it: the runq heat map from their histograms, the
 * exec stream from their events. No BPF, no root. */
#ifndef EBTOP_REPLAY_H
#define EBTOP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "probes/snapshot.h"
#include "views/view.h"

struct replay;

struct replay *replay_open(const char *path, char *err, size_t errlen);
/* The live history (rewind): frames in memory, appended each refresh. */
struct replay *replay_live(void);
/* Append a refresh's document; the oldest go past keep_ns or max_bytes. */
int replay_append(struct replay *r, const char *doc, size_t len, uint64_t time_ns,
		  uint64_t keep_ns, size_t max_bytes);
/* The oldest frame kept; replay_frames() is one past the newest. */
size_t replay_first(const struct replay *r);
size_t replay_bytes(const struct replay *r);
void replay_free(struct replay *r);
size_t replay_frames(const struct replay *r);
/* Frames found damaged so far (bad CRC, cut short, not a document). */
size_t replay_damaged(const struct replay *r);
uint64_t replay_time_ns(const struct replay *r, size_t i);
/* The last frame at or before time_ns. */
size_t replay_find(const struct replay *r, uint64_t time_ns);
/* Frame i as a snapshot, s zeroed first (free with snapshot_free), with
 * the filter it was taken under in h. 0, or -errno with a reason in err
 * (a damaged frame: -EBADMSG, counted). */
int replay_load(struct replay *r, size_t i, struct snapshot *s, struct json_header *h,
		char *err, size_t errlen);
/* Frame i's document text as recorded (malloc'd), for --json re-emission. */
char *replay_doc(struct replay *r, size_t i, size_t *len);

#endif
