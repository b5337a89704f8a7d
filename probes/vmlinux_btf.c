/* One read of the kernel's BTF for all the objects ebtop loads.
 *
 * libbpf 1.1 (Debian 12's) loads vmlinux BTF afresh for every object: it
 * reads /sys/kernel/btf/vmlinux (5.5 MB here) into a new buffer, 4 KiB per
 * sysfs read, and copies that into another. For six objects that was about
 * 190 ms of a 260 ms start-up, mostly first touches of fresh memory.
 *
 * libbpf makes those calls through its PLT, so the definition below, in the
 * executable, is the one they reach. It keeps the file's bytes (mapped where
 * the kernel allows, 6.16 and later; read once otherwise) and returns a fresh
 * btf parsed from them on each call: the same contract as libbpf's (a new
 * object the caller frees), for about 2 ms instead of 20-80. Where the calls
 * are not interposed (a libbpf linked -Bsymbolic), libbpf does its own
 * loading: slower, same result. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "probe.h"
#include "vmlinux_btf.h"

#define VMLINUX_BTF_PATH "/sys/kernel/btf/vmlinux"

static struct {
	void *data;
	size_t size;
	bool mapped;   /* munmap, not free */
	size_t served;
} cache;

/* The file's bytes: a mapping, or one read into memory we own. */
static int keep_bytes(void)
{
	int fd = open(VMLINUX_BTF_PATH, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int err = 0;

	if (fd < 0)
		return -errno;
	cache.mapped = false;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		cache.size = st.st_size;
		cache.data = mmap(NULL, cache.size, PROT_READ, MAP_PRIVATE, fd, 0);
		cache.mapped = cache.data != MAP_FAILED;
	}
	if (!cache.mapped) {
		cache.data = probe_read_all(fd, &cache.size);
		if (!cache.data || !cache.size) {
			err = cache.data ? -ENODATA : -errno;
			free(cache.data);
			cache.data = NULL;
		}
	}
	close(fd);
	return err;
}

struct btf *btf__load_vmlinux_btf(void)
{
	struct btf *(*libbpf_own)(void);
	struct btf *btf;

	if (!cache.data && keep_bytes()) {
		/* Not where we look (BTF from /boot, say): libbpf knows more places. */
		libbpf_own = (struct btf * (*)(void)) dlsym(RTLD_NEXT, "btf__load_vmlinux_btf");
		if (!libbpf_own) {
			errno = ENOENT;
			return NULL;
		}
		return libbpf_own();
	}
	btf = btf__new(cache.data, cache.size);
	if (btf)
		cache.served++;
	return btf;
}

void vmlinux_btf_release(void)
{
	if (!cache.data)
		return;
	if (cache.mapped)
		munmap(cache.data, cache.size);
	else
		free(cache.data);
	cache.data = NULL;
}

size_t vmlinux_btf_served(void)
{
	return cache.served;
}
