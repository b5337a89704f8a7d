#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <mntent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include "probes/cgroup.h"

static char mount_point[256];
static bool mount_looked;

const char *cgroup_mount(void)
{
	FILE *f;
	struct mntent *m;

	if (mount_looked)
		return mount_point[0] ? mount_point : NULL;
	mount_looked = true;
	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return NULL;
	while ((m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(mount_point, sizeof(mount_point), "%s", m->mnt_dir);
			break;
		}
	endmntent(f);
	return mount_point[0] ? mount_point : NULL;
}

/* The kernfs id of a cgroup2 directory is the 8-byte file handle. */
static int id_of(const char *path, uint64_t *id)
{
	*id = 0;
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh.handle_bytes = sizeof(uint64_t) };
	int mnt;

	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mnt, 0))
		return -errno;
	*id = h.id;
	return 0;
}

int cgroup_resolve(const char *path, uint64_t *id, char *why, size_t whylen)
{
	const char *mnt = cgroup_mount();
	char full[4096];
	struct statfs sfs;
	struct stat st;
	int err;

	if (!mnt) {
		snprintf(why, whylen, "no cgroup v2 mount on this host");
		return -ENOENT;
	}
	if (!path || !*path) {
		snprintf(why, whylen, "empty cgroup path");
		return -EINVAL;
	}
	/* an absolute path that exists is taken as it is (and checked to be
	 * v2 below); anything else is relative to the cgroup2 mount */
	if (path[0] == '/' && stat(path, &st) == 0)
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(full, sizeof(full), "%s/%s", mnt, path[0] == '/' ? path + 1 : path);
	if (stat(full, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "no such cgroup: %s", path);
		return -ENOENT;
	}
	if (statfs(full, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		snprintf(why, whylen, "not a cgroup v2 directory: %s (v2 lives at %s)", path, mnt);
		return -EINVAL;
	}
	err = id_of(full, id);
	if (err)
		snprintf(why, whylen, "cannot resolve cgroup %s: %s", path, strerror(-err));
	return err;
}

struct entry {
	uint64_t id;
	char *path;
};

static struct entry *cache;
static size_t ncache, capcache;
static bool scanned_this_tick;

static int add_entry(const char *fpath, const struct stat *sb, int type, struct FTW *ftw)
{
	const char *mnt = cgroup_mount();
	const char *rel = fpath + strlen(mnt);
	uint64_t id = 0;

	(void)sb, (void)ftw;
	if (type != FTW_D || id_of(fpath, &id))
		return 0;
	if (ncache == capcache) {
		size_t ncap = capcache ? capcache * 2 : 256;
		struct entry *n = realloc(cache, ncap * sizeof(*n));

		if (!n)
			return 1;
		cache = n;
		capcache = ncap;
	}
	cache[ncache].id = id;
	cache[ncache].path = strdup(*rel ? rel : "/");
	if (cache[ncache].path)
		ncache++;
	return 0;
}

void cgroup_cache_free(void)
{
	for (size_t i = 0; i < ncache; i++)
		free(cache[i].path);
	free(cache);
	cache = NULL;
	ncache = capcache = 0;
}

static void rescan(void)
{
	const char *mnt = cgroup_mount();

	cgroup_cache_free();
	if (mnt)
		nftw(mnt, add_entry, 16, FTW_PHYS | FTW_MOUNT);
	scanned_this_tick = true;
}

const char *cgroup_path(uint64_t id)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ncache; i++)
			if (cache[i].id == id)
				return cache[i].path;
		if (scanned_this_tick || !cgroup_mount())
			return NULL;
		rescan();
	}
	return NULL;
}

void cgroup_cache_tick(void)
{
	scanned_this_tick = false;
}
