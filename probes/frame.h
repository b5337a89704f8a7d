/* Recordings: a file of frames, each one refresh's "ebtop/1" JSON document
 * compressed with zstd behind a small header:
 *
 *   offset  size  field
 *        0     4  magic "EBF1"
 *        4     2  version (FRAME_VERSION), little-endian like every field
 *        6     2  header length (32)
 *        8     4  payload length (compressed bytes that follow the header)
 *       12     4  document length (bytes once decompressed)
 *       16     8  time of the refresh, ns since the epoch (CLOCK_REALTIME)
 *       24     4  CRC32C of the header (this field as 0) and the payload
 *       28     4  reserved, 0
 *
 * A frame is appended with one write, so a crash loses at most the frame
 * being written; a reader skips a damaged frame alone (it looks for the
 * next magic) and counts it. The same reader opens what --json writes
 * (JSON lines, plain, .gz or .zst) and single s snapshots, so every kind
 * of file replays the same way. */
#ifndef EBTOP_FRAME_H
#define EBTOP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_MAGIC "EBF1"
#define FRAME_VERSION 1
#define FRAME_HDR_LEN 32
/* Bounds a reader holds any file to, whatever its headers say. */
#define FRAME_DOC_MAX (64u << 20)

uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

/* One frame for doc (len bytes) taken at time_ns: malloc'd, its size in
 * *out_len; NULL with errno set. */
void *frame_encode(const char *doc, size_t len, uint64_t time_ns, size_t *out_len);

/* A recording opened for reading: an index of its frames, in file order;
 * or one held in memory (the live history), which frames are appended to
 * and the oldest dropped from. Frames are numbered from the first ever
 * added, so a number stays the same frame while older ones are dropped:
 * the kept ones are recording_first() to recording_count() - 1. */
struct recording;

/* An empty recording in memory. */
struct recording *recording_new(void);
/* Append a document taken at time_ns (compressed, so a kept minute costs
 * little); then drop the oldest frames while there are more than max_bytes
 * of them or they are older than keep_ns before time_ns. 0 or -errno. */
int recording_append(struct recording *r, const char *doc, size_t len, uint64_t time_ns,
		     uint64_t keep_ns, size_t max_bytes);
size_t recording_first(const struct recording *r);
/* Bytes the kept frames hold. */
size_t recording_bytes(const struct recording *r);

/* Open path (a recording, a rotated set path.N..path, JSON lines plain,
 * .gz or .zst, or one snapshot). NULL with a reason in err when nothing in
 * it is a document. */
struct recording *recording_open(const char *path, char *err, size_t errlen);
void recording_close(struct recording *r);
/* One past the number of the newest frame. */
size_t recording_count(const struct recording *r);
/* Frames or lines skipped as damaged (bad CRC, cut short, unreadable). */
size_t recording_damaged(const struct recording *r);
uint64_t recording_time(const struct recording *r, size_t i);
/* The index of the last frame taken at or before time_ns (0 if none). */
size_t recording_find(const struct recording *r, uint64_t time_ns);
/* Frame i's document, NUL-terminated (malloc'd), or NULL with errno set
 * (EBADMSG: damaged, counted). */
char *recording_doc(struct recording *r, size_t i, size_t *len);

#endif
