/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract for the PID and cgroup filter shared by every program. */
#ifndef EBTOP_FILTER_CFG_H
#define EBTOP_FILTER_CFG_H

#define FILTER_MAX_PIDS 4096
#define FILTER_MAX_CGROUP_DEPTH 32

struct filter_cfg {
	__u32 pids_on;    /* only tasks whose tgid is in filter_pids */
	__u32 cgroup_on;  /* only tasks in cgroup_id or below it */
	__u64 cgroup_id;  /* cgroup v2 kernfs id */
};

#endif
