#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "probes/mapread.h"

#define ENOTSUPP_KERNEL 524 /* the kernel's ENOTSUPP, not in libc */

static int grow(void **keys, void **values, size_t *cap, size_t ksz, size_t vsz)
{
	size_t ncap = *cap ? *cap * 2 : 1024;
	void *k = realloc(*keys, ncap * ksz);

	if (!k)
		return -ENOMEM;
	*keys = k;
	k = realloc(*values, ncap * vsz);
	if (!k)
		return -ENOMEM;
	*values = k;
	*cap = ncap;
	return 0;
}

static long read_batch(int fd, size_t ksz, size_t vsz, void **keys, void **values, size_t *cap)
{
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u64 in = 0, out = 0; /* opaque batch cursors, big enough for any key */
	bool first = true;
	size_t n = 0;

	for (;;) {
		__u32 count;
		int err;

		if (*cap - n < 256 && grow(keys, values, cap, ksz, vsz))
			return -ENOMEM;
		count = *cap - n;
		err = bpf_map_lookup_batch(fd, first ? NULL : &in, &out, (char *)*keys + n * ksz,
					   (char *)*values + n * vsz, &count, &opts);
		if (err && errno == ENOSPC) { /* a bucket larger than the room left */
			if (grow(keys, values, cap, ksz, vsz))
				return -ENOMEM;
			continue;
		}
		if (err && errno != ENOENT)
			return -errno;
		n += count;
		if (err) /* ENOENT: that was the last batch */
			return n;
		in = out;
		first = false;
	}
}

static long read_iter(int fd, size_t ksz, size_t vsz, void **keys, void **values, size_t *cap)
{
	size_t n = 0;
	void *prev = NULL;

	for (;;) {
		if (n == *cap && grow(keys, values, cap, ksz, vsz))
			return -ENOMEM;
		if (bpf_map_get_next_key(fd, prev, (char *)*keys + n * ksz))
			return errno == ENOENT ? (long)n : -errno;
		prev = (char *)*keys + n * ksz;
		/* the key may vanish between the two calls: skip it */
		if (bpf_map_lookup_elem(fd, prev, (char *)*values + n * vsz) == 0)
			n++;
		else if (n)
			prev = (char *)*keys + (n - 1) * ksz;
		else
			prev = NULL;
	}
}

long map_read_all(int fd, size_t key_size, size_t value_size, void **keys, void **values)
{
	size_t cap = 0;
	long n;

	*keys = *values = NULL;
	n = read_batch(fd, key_size, value_size, keys, values, &cap);
	if (n == -EINVAL || n == -ENOTSUPP_KERNEL || n == -EOPNOTSUPP)
		n = read_iter(fd, key_size, value_size, keys, values, &cap);
	if (n < 0) {
		free(*keys);
		free(*values);
		*keys = *values = NULL;
	}
	return n;
}

void map_clear(int fd, size_t key_size)
{
	char key[64];

	if (key_size > sizeof(key))
		return;
	while (!bpf_map_get_next_key(fd, NULL, key))
		if (bpf_map_delete_elem(fd, key))
			break;
}
