#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "probes/filter.h"
#include "probes/mapread.h"
#include "probes/probe.h"
#include "bpf/filter_cfg.h"
#include "filter.skel.h"

struct filter {
	struct filter_bpf *skel;
	struct bpf_link *links[2];
	struct filter_cfg cfg;
};

struct filter *filter_open(char *why, size_t whylen)
{
	struct filter *f = calloc(1, sizeof(*f));
	int err = 0;

	if (!f)
		return NULL;
	PROBE_OPEN_LOAD(filter_bpf, f->skel, NULL, err);
	if (err) {
		probe_why(why, whylen, "filter", err);
		free(f);
		errno = -err;
		return NULL;
	}
	/* Attach whichever variant loaded; fork following is best effort. */
	struct bpf_program *prog;
	int i = 0;

	bpf_object__for_each_program(prog, f->skel->obj) {
		if (!bpf_program__autoload(prog) || i == 2)
			continue;
		f->links[i] = bpf_program__attach(prog);
		if (f->links[i])
			i++;
	}
	return f;
}

void filter_close(struct filter *f)
{
	if (!f)
		return;
	for (int i = 0; i < 2; i++)
		bpf_link__destroy(f->links[i]);
	filter_bpf__destroy(f->skel);
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
	if (bpf_map__reuse_fd(cfg, bpf_map__fd(f->skel->maps.filter_cfg)) ||
	    bpf_map__reuse_fd(pids, bpf_map__fd(f->skel->maps.filter_pids)))
		return -errno;
	return 0;
}

static int write_cfg(struct filter *f)
{
	__u32 zero = 0;

	if (bpf_map_update_elem(bpf_map__fd(f->skel->maps.filter_cfg), &zero, &f->cfg, BPF_ANY))
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
	fd = bpf_map__fd(f->skel->maps.filter_pids);
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
