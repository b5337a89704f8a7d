#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "probes/filter.h"
#include "probes/mapread.h"
#include "probes/probe.h"
#include "bpf/filter_cfg.h"
#include "filter.skel.h"

struct filter {
	int cfg_fd, pids_fd;      /* the maps every object reuses */
	struct filter_bpf *skel;  /* following forks, once filter_follow ran */
	struct bpf_link *links[2];
	struct filter_cfg cfg;
};

/* A map as the object declares it (bpf/common.bpf.h), made on its own:
 * -1 with errno set if it cannot be. */
static int map_like(const struct bpf_map *m)
{
	return bpf_map_create(bpf_map__type(m), bpf_map__name(m), bpf_map__key_size(m),
			      bpf_map__value_size(m), bpf_map__max_entries(m), NULL);
}

/* The maps alone: a map needs no kernel BTF or verifier, so every object,
 * this module's own too, can then load side by side. Their shape comes
 * from the object, opened (its ELF read) but not loaded. */
struct filter *filter_open(char *why, size_t whylen)
{
	struct filter *f = calloc(1, sizeof(*f));
	struct filter_bpf *spec = filter_bpf__open();
	int err;

	if (!f || !spec) {
		err = -errno;
		filter_bpf__destroy(spec);
		goto fail;
	}
	f->cfg_fd = map_like(spec->maps.filter_cfg);
	f->pids_fd = f->cfg_fd < 0 ? -1 : map_like(spec->maps.filter_pids);
	err = f->pids_fd < 0 ? -errno : 0;
	filter_bpf__destroy(spec);
	if (!err)
		return f;
	if (f->cfg_fd >= 0)
		close(f->cfg_fd);
fail:
	probe_why(why, whylen, "filter", err);
	free(f);
	errno = -err;
	return NULL;
}

void filter_follow(struct filter *f)
{
	struct bpf_program *prog;
	int err = 0, i = 0;

	if (!f)
		return;
	PROBE_OPEN_LOAD(filter_bpf, f->skel, f, err);
	if (err) /* best effort: the pids named are still filtered */
		return;
	bpf_object__for_each_program(prog, f->skel->obj) {
		if (!bpf_program__autoload(prog) || i == 2)
			continue;
		f->links[i] = bpf_program__attach(prog);
		if (f->links[i])
			i++;
	}
}

void filter_close(struct filter *f)
{
	if (!f)
		return;
	for (int i = 0; i < 2; i++)
		bpf_link__destroy(f->links[i]);
	filter_bpf__destroy(f->skel);
	close(f->cfg_fd);
	close(f->pids_fd);
	free(f);
}

int filter_reuse(struct filter *f, struct bpf_object *obj)
{
	struct bpf_map *cfg, *pids;

	if (!f)
		return 0;
	cfg = bpf_object__find_map_by_name(obj, "filter_cfg");
	pids = bpf_object__find_map_by_name(obj, "filter_pids");
	if (!cfg || !pids)
		return 0;
	if (bpf_map__reuse_fd(cfg, f->cfg_fd) || bpf_map__reuse_fd(pids, f->pids_fd))
		return -errno;
	return 0;
}

static int write_cfg(struct filter *f)
{
	__u32 zero = 0;

	if (bpf_map_update_elem(f->cfg_fd, &zero, &f->cfg, BPF_ANY))
		return -errno;
	return 0;
}

int filter_set_pids(struct filter *f, const uint32_t *pids, size_t n)
{
	int fd, err;
	__u8 one = 1;

	if (!f)
		return -ENOTSUP;
	if (n > FILTER_MAX_PIDS)
		return -E2BIG;
	fd = f->pids_fd;
	/* Switch the filter off while the set is rewritten, then on again. */
	f->cfg.pids_on = 0;
	if ((err = write_cfg(f)))
		return err;
	map_clear(fd, sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		if (bpf_map_update_elem(fd, &pids[i], &one, BPF_ANY))
			return -errno;
	f->cfg.pids_on = n > 0;
	return write_cfg(f);
}

int filter_set_cgroup(struct filter *f, uint64_t cgroup_id)
{
	if (!f)
		return -ENOTSUP;
	f->cfg.cgroup_on = cgroup_id != 0;
	f->cfg.cgroup_id = cgroup_id;
	return write_cfg(f);
}
