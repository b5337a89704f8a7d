#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include <zlib.h>
#include <zstd.h>
#include "probes/frame.h"

/* A JSON file (not a recording) is read whole, so it is held to this; a
 * recording is indexed in place and may be any size. */
#define TEXT_FILE_MAX (256u << 20)
#define MAX_FILES 1000 /* a rotated set: path.1 .. path.N */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1; /* Castagnoli, reflected */
		crc_table[i] = c;
	}
}

uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (!crc_table[1])
		crc_init();
	crc = ~crc;
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void put16(unsigned char *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(unsigned char *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(unsigned char *p, uint64_t v) { put32(p, v); put32(p + 4, v >> 32); }
static uint16_t get16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint32_t get32(const unsigned char *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }
static uint64_t get64(const unsigned char *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

void *frame_encode(const char *doc, size_t len, uint64_t time_ns, size_t *out_len)
{
	size_t bound = ZSTD_compressBound(len), clen;
	unsigned char *f;

	if (len > FRAME_DOC_MAX) {
		errno = EFBIG;
		return NULL;
	}
	if (!(f = malloc(FRAME_HDR_LEN + bound)))
		return NULL;
	clen = ZSTD_compress(f + FRAME_HDR_LEN, bound, doc, len, 3);
	if (ZSTD_isError(clen)) {
		free(f);
		errno = EINVAL;
		return NULL;
	}
	memcpy(f, FRAME_MAGIC, 4);
	put16(f + 4, FRAME_VERSION);
	put16(f + 6, FRAME_HDR_LEN);
	put32(f + 8, clen);
	put32(f + 12, len);
	put64(f + 16, time_ns);
	put32(f + 24, 0);
	put32(f + 28, 0);
	put32(f + 24, crc32c(crc32c(0, f, FRAME_HDR_LEN), f + FRAME_HDR_LEN, clen));
	*out_len = FRAME_HDR_LEN + clen;
	return f;
}

/* A frame of the index: where its compressed document is (in file fd at
 * off, or held in mem), its sizes and time. */
struct entry {
	int fd;
	off_t off;
	void *mem;
	uint32_t clen, len;
	uint32_t crc; /* as the header says (frames only) */
	uint64_t time_ns;
	bool bad; /* found damaged when read (counted once) */
};

struct recording {
	int fds[MAX_FILES + 1];
	int nfds;
	struct entry *e;
	size_t n, cap;
	size_t base;    /* frames dropped from the front: e[0] is frame base */
	size_t bytes;   /* compressed bytes held in memory */
	size_t damaged;
};

static int add_entry(struct recording *r, const struct entry *e)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct entry *grown = realloc(r->e, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		r->e = grown;
		r->cap = cap;
	}
	r->e[r->n++] = *e;
	return 0;
}

/* The next offset at or after from where FRAME_MAGIC starts, or -1. */
static off_t find_magic(int fd, off_t from, off_t size)
{
	unsigned char buf[65536];

	while (from < size) {
		ssize_t got = pread(fd, buf, sizeof(buf), from);

		if (got < 4)
			return -1;
		for (ssize_t i = 0; i + 4 <= got; i++)
			if (!memcmp(buf + i, FRAME_MAGIC, 4))
				return from + i;
		from += got - 3;
	}
	return -1;
}

/* Index a file of frames: headers only, payloads are read when asked for.
 * Garbage and frames whose header does not hold are skipped and counted;
 * a frame cut short at the end (a crash mid-write) is the last one lost. */
static int index_frames(struct recording *r, int fd, off_t size)
{
	off_t off = 0;

	while (off + FRAME_HDR_LEN <= size) {
		unsigned char h[FRAME_HDR_LEN];
		struct entry e = { .fd = fd };
		off_t next;

		if (pread(fd, h, sizeof(h), off) != sizeof(h))
			return -errno;
		e.clen = get32(h + 8);
		e.len = get32(h + 12);
		e.time_ns = get64(h + 16);
		e.crc = get32(h + 24);
		e.off = off + FRAME_HDR_LEN;
		if (!memcmp(h, FRAME_MAGIC, 4) && get16(h + 4) == FRAME_VERSION &&
		    get16(h + 6) == FRAME_HDR_LEN && e.len <= FRAME_DOC_MAX &&
		    e.clen <= ZSTD_compressBound(FRAME_DOC_MAX) && e.off + e.clen <= size) {
			int err = add_entry(r, &e);

			if (err)
				return err;
			off = e.off + e.clen;
			continue;
		}
		/* not a frame of ours, a newer version's, or cut short */
		r->damaged++;
		next = find_magic(fd, off + 1, size);
		if (next < 0)
			return 0;
		off = next;
	}
	if (off < size)
		r->damaged++; /* a header cut short */
	return 0;
}

/* Room for one more byte past used in buf: doubled while it stays within
 * TEXT_FILE_MAX. False when it would not. */
static bool room(char **buf, size_t *cap, size_t used)
{
	char *grown;

	if (used + 1 < *cap)
		return true;
	if (*cap >= TEXT_FILE_MAX || !(grown = realloc(*buf, *cap * 2)))
		return false;
	*buf = grown;
	*cap *= 2;
	return true;
}

/* A whole file into memory, decompressed if it is gzip or zstd. */
static char *read_text(int fd, off_t size, const unsigned char *magic, size_t *len,
		       char *err, size_t errlen)
{
	size_t cap = 1 << 20, used = 0;
	char *buf = NULL;

	if (magic[0] == 0x1f && magic[1] == 0x8b) {
		gzFile gz = gzdopen(dup(fd), "rb");
		int got;

		if (!gz || !(buf = malloc(cap)))
			goto oom;
		while ((got = gzread(gz, buf + used, cap - used - 1)) > 0) {
			used += got;
			if (!room(&buf, &cap, used)) {
				gzclose(gz);
				goto too_large;
			}
		}
		gzclose(gz);
	} else if (get32(magic) == 0xfd2fb528) { /* zstd frame magic */
		ZSTD_DStream *z = ZSTD_createDStream();
		char in[65536];
		ssize_t got;
		off_t off = 0;
		bool damaged = false;

		if (!z || !(buf = malloc(cap))) {
			ZSTD_freeDStream(z);
			goto oom;
		}
		while (!damaged && (got = pread(fd, in, sizeof(in), off)) > 0) {
			ZSTD_inBuffer ib = { in, got, 0 };

			off += got;
			while (ib.pos < ib.size) {
				ZSTD_outBuffer ob = { buf, cap - 1, used };

				/* what came before damage is kept; the rest is not read */
				damaged = ZSTD_isError(ZSTD_decompressStream(z, &ob, &ib));
				used = ob.pos;
				if (damaged)
					break;
				if (!room(&buf, &cap, used)) {
					ZSTD_freeDStream(z);
					goto too_large;
				}
			}
		}
		ZSTD_freeDStream(z);
	} else {
		if (size > TEXT_FILE_MAX)
			goto too_large;
		if (!(buf = malloc(size + 1)))
			goto oom;
		while (used < (size_t)size) {
			ssize_t got = pread(fd, buf + used, size - used, used);

			if (got <= 0)
				break;
			used += got;
		}
	}
	buf[used] = '\0';
	*len = used;
	return buf;
too_large:
	free(buf);
	snprintf(err, errlen, "larger than %u MiB of JSON: record with --record to replay it",
		 TEXT_FILE_MAX >> 20);
	return NULL;
oom:
	free(buf);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

/* The time of a document ("time": RFC 3339 UTC), in ns; 0 when it has
 * none that reads. */
static uint64_t doc_time(const cJSON *doc)
{
	const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "time"));
	struct tm tm;
	int ms = 0;

	memset(&tm, 0, sizeof(tm));
	if (!t || sscanf(t, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) < 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (uint64_t)timegm(&tm) * 1000000000ull + (uint64_t)ms * 1000000ull;
}

/* Index JSON text: one document after another (JSON lines, or one
 * snapshot over many lines), each kept compressed in memory. What does not
 * parse is skipped to the next line and counted. */
static int index_text(struct recording *r, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *stop = NULL;
		cJSON *doc;

		while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
			p++;
		if (p >= end)
			break;
		doc = cJSON_ParseWithLengthOpts(p, end - p, &stop, 0);
		if (!doc || !cJSON_IsObject(doc) || !stop || (size_t)(stop - p) > FRAME_DOC_MAX) {
			const char *nl = memchr(p, '\n', end - p);

			cJSON_Delete(doc);
			r->damaged++;
			p = nl ? nl + 1 : end;
			continue;
		}
		struct entry e = { .fd = -1, .len = stop - p, .time_ns = doc_time(doc) };
		size_t bound = ZSTD_compressBound(e.len), clen;

		cJSON_Delete(doc);
		if (!(e.mem = malloc(bound)))
			return -ENOMEM;
		clen = ZSTD_compress(e.mem, bound, p, e.len, 1);
		if (ZSTD_isError(clen)) {
			free(e.mem);
			return -EINVAL;
		}
		e.clen = clen;
		if (add_entry(r, &e)) {
			free(e.mem);
			return -ENOMEM;
		}
		r->bytes += clen;
		p = stop;
	}
	return 0;
}

static int open_one(struct recording *r, const char *path, char *err, size_t errlen)
{
	unsigned char magic[4] = { 0 };
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	r->fds[r->nfds++] = fd;
	if (pread(fd, magic, sizeof(magic), 0) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!memcmp(magic, FRAME_MAGIC, 4))
		rc = index_frames(r, fd, st.st_size);
	else {
		size_t len;
		char *text = read_text(fd, st.st_size, magic, &len, err, errlen);

		if (!text)
			return -EFBIG;
		rc = index_text(r, text, len);
		free(text);
	}
	if (rc)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}

struct recording *recording_open(const char *path, char *err, size_t errlen)
{
	struct recording *r = calloc(1, sizeof(*r));
	char name[4096];
	int older = 0;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* a rotated set: path.N (oldest) .. path.1, then path */
	while (older < MAX_FILES &&
	       (snprintf(name, sizeof(name), "%s.%d", path, older + 1), access(name, F_OK) == 0))
		older++;
	for (int i = older; i >= 0; i--) {
		if (i)
			snprintf(name, sizeof(name), "%s.%d", path, i);
		if (open_one(r, i ? name : path, err, errlen)) {
			recording_close(r);
			return NULL;
		}
	}
	if (!r->n) {
		snprintf(err, errlen, "%s: no ebtop document in it%s", path,
			 r->damaged ? " (all damaged)" : "");
		recording_close(r);
		return NULL;
	}
	return r;
}

struct recording *recording_new(void)
{
	return calloc(1, sizeof(struct recording));
}

int recording_append(struct recording *r, const char *doc, size_t len, uint64_t time_ns,
		     uint64_t keep_ns, size_t max_bytes)
{
	struct entry e = { .fd = -1, .len = len, .time_ns = time_ns };
	size_t bound = ZSTD_compressBound(len), clen, drop = 0;

	if (len > FRAME_DOC_MAX)
		return -EFBIG;
	if (!(e.mem = malloc(bound)))
		return -ENOMEM;
	clen = ZSTD_compress(e.mem, bound, doc, len, 1);
	if (ZSTD_isError(clen)) {
		free(e.mem);
		return -EINVAL;
	}
	e.clen = clen;
	e.mem = realloc(e.mem, clen) ?: e.mem; /* keep only what it needs */
	if (add_entry(r, &e)) {
		free(e.mem);
		return -ENOMEM;
	}
	r->bytes += clen;
	while (drop + 1 < r->n && (r->bytes > max_bytes || r->e[drop].time_ns + keep_ns < time_ns)) {
		r->bytes -= r->e[drop].clen;
		free(r->e[drop++].mem);
	}
	if (drop) {
		memmove(r->e, r->e + drop, (r->n - drop) * sizeof(*r->e));
		r->n -= drop;
		r->base += drop;
	}
	return 0;
}

size_t recording_first(const struct recording *r)
{
	return r->base;
}

size_t recording_bytes(const struct recording *r)
{
	return r->bytes;
}

void recording_close(struct recording *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->e[i].mem);
	for (int i = 0; i < r->nfds; i++)
		close(r->fds[i]);
	free(r->e);
	free(r);
}

size_t recording_count(const struct recording *r)
{
	return r->base + r->n;
}

size_t recording_damaged(const struct recording *r)
{
	return r->damaged;
}

uint64_t recording_time(const struct recording *r, size_t i)
{
	return i >= r->base && i - r->base < r->n ? r->e[i - r->base].time_ns : 0;
}

size_t recording_find(const struct recording *r, uint64_t time_ns)
{
	size_t lo = 0, hi = r->n; /* frames are in time order as written */

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->e[mid].time_ns <= time_ns)
			lo = mid;
		else
			hi = mid;
	}
	return r->base + lo;
}

static char *damaged(struct recording *r, struct entry *e, void *tofree)
{
	free(tofree);
	if (!e->bad) {
		e->bad = true;
		r->damaged++;
	}
	errno = EBADMSG;
	return NULL;
}

char *recording_doc(struct recording *r, size_t i, size_t *len)
{
	struct entry *e;
	unsigned char *c = NULL;
	const void *comp;
	char *doc;
	size_t got;

	if (i < r->base || i - r->base >= r->n) {
		errno = ERANGE;
		return NULL;
	}
	e = &r->e[i - r->base];
	if (e->bad)
		return damaged(r, e, NULL);
	comp = e->mem;
	if (!comp) {
		unsigned char h[FRAME_HDR_LEN];

		if (!(c = malloc(e->clen ? e->clen : 1)))
			return NULL;
		if (pread(e->fd, h, sizeof(h), e->off - FRAME_HDR_LEN) != sizeof(h) ||
		    pread(e->fd, c, e->clen, e->off) != (ssize_t)e->clen)
			return damaged(r, e, c);
		put32(h + 24, 0);
		if (crc32c(crc32c(0, h, sizeof(h)), c, e->clen) != e->crc)
			return damaged(r, e, c);
		comp = c;
	}
	if (!(doc = malloc((size_t)e->len + 1))) {
		free(c);
		return NULL;
	}
	got = ZSTD_decompress(doc, e->len, comp, e->clen);
	free(c);
	if (ZSTD_isError(got) || got != e->len)
		return damaged(r, e, doc);
	doc[got] = '\0';
	*len = got;
	return doc;
}
