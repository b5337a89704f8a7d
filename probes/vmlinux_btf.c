/* One parse of the kernel's BTF for all the objects ebtop loads.
 *
 * libbpf 1.1 (Debian 12's) loads vmlinux BTF afresh for every object: it
 * reads /sys/kernel/btf/vmlinux (several MB) into a new buffer, 4 KiB per
 * sysfs read, and copies that into another, then frees both once the
 * object is loaded. Each copy lands in fresh memory that must be touched
 * again: reading and parsing it once per object is most of start-up
 * (doc/performance.md has the figures).
 *
 * libbpf makes those calls (btf__load_vmlinux_btf, btf__free) through its
 * PLT, so the definitions below, in the executable, are the ones they
 * reach. The first call parses the file (mapped where the kernel allows,
 * 6.16 and later; read otherwise) and every call until
 * vmlinux_btf_release() lends that one btf; btf__free of it is a no-op
 * until then. Lending is safe because libbpf only reads vmlinux BTF while
 * it loads an object and drops it when done, so objects loading on several
 * threads at once can share it; the first parse is done under a lock.
 * Where the calls are not interposed (a libbpf linked -Bsymbolic), libbpf
 * does its own loading: slower, same result. A static link cannot
 * interpose: there -Wl,--wrap sends the calls between libbpf's objects
 * (the ones that matter: loading an object, freeing its vmlinux BTF) to
 * the __wrap_ names, and libbpf's own definitions are the __real_ ones. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "probes/probe.h"
#include "probes/vmlinux_btf.h"

#define VMLINUX_BTF_PATH "/sys/kernel/btf/vmlinux"

#if EBTOP_STATIC
#define LEND_LOAD __wrap_btf__load_vmlinux_btf
#define LEND_FREE __wrap_btf__free
struct btf *__real_btf__load_vmlinux_btf(void);
void __real_btf__free(struct btf *btf);
struct btf *__wrap_btf__load_vmlinux_btf(void);
void __wrap_btf__free(struct btf *btf);
#define libbpf_load() __real_btf__load_vmlinux_btf
#define libbpf_free() __real_btf__free
#else
#define LEND_LOAD btf__load_vmlinux_btf
#define LEND_FREE btf__free
/* libbpf's own definitions, which ours stand in front of */
#define libbpf_load() ((struct btf * (*)(void)) dlsym(RTLD_NEXT, "btf__load_vmlinux_btf"))
#define libbpf_free() ((void (*)(struct btf *))dlsym(RTLD_NEXT, "btf__free"))
#endif

static struct {
	pthread_mutex_t lock; /* over the parse and the count */
	struct btf *lent;     /* parsed once, lent until vmlinux_btf_release */
	size_t served;
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The file parsed: from a mapping of it, or from one read into memory.
 * btf__new copies what it parses, so the bytes are dropped at once. */
static struct btf *parse_file(void)
{
	int fd = open(VMLINUX_BTF_PATH, O_RDONLY | O_CLOEXEC);
	struct btf *btf = NULL;
	struct stat st;
	size_t size = 0;
	void *data;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		size = st.st_size;
		data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (data != MAP_FAILED) {
			btf = btf__new(data, size);
			munmap(data, size);
			close(fd);
			return btf;
		}
	}
	data = probe_read_all(fd, &size);
	if (data && size)
		btf = btf__new(data, size);
	free(data);
	close(fd);
	return btf;
}

struct btf *LEND_LOAD(void)
{
	struct btf *(*load)(void), *btf;

	pthread_mutex_lock(&cache.lock);
	if (!cache.lent)
		cache.lent = parse_file();
	if (cache.lent)
		cache.served++;
	btf = cache.lent;
	pthread_mutex_unlock(&cache.lock);
	if (btf)
		return btf;
	/* Not where we look (BTF from /boot, say): libbpf knows more places. */
	load = libbpf_load();
	if (!load) {
		errno = ENOENT;
		return NULL;
	}
	return load();
}

void LEND_FREE(struct btf *btf)
{
	static void (*free_btf)(struct btf *);
	bool lent;

	pthread_mutex_lock(&cache.lock);
	lent = btf == cache.lent;
	if (!free_btf)
		free_btf = libbpf_free();
	pthread_mutex_unlock(&cache.lock);
	if (!btf || lent) /* lent: vmlinux_btf_release frees it */
		return;
	if (free_btf) /* always, with a shared libbpf; else a leak, not a crash */
		free_btf(btf);
}

void vmlinux_btf_release(void)
{
	struct btf *lent;

	pthread_mutex_lock(&cache.lock);
	lent = cache.lent;
	cache.lent = NULL;
	pthread_mutex_unlock(&cache.lock);
	LEND_FREE(lent);
}

size_t vmlinux_btf_served(void)
{
	return cache.served;
}
