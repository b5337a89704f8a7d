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

/* A recording opened for reading: an index of its frames, in file order. */
struct recording;

/* Open path (a recording, a rotated set path.N..path, JSON lines plain,
 * .gz or .zst, or one snapshot). NULL with a reason in err when nothing in
 * it is a document. */
struct recording *recording_open(const char *path, char *err, size_t errlen);
void recording_close(struct recording *r);
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
