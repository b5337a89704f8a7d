/* Rows by cgroup (g): a pane's process rows added up per cgroup, or per
 * slice the next time g is pressed. A process's cgroup comes from its
 * cpu row, or, for a connection's owner that did not run, from the
 * owners table (snapshot_cgroup_of). Shared by the pane views and their
 * JSON "groups". */
#ifndef EBTOP_GROUPS_H
#define EBTOP_GROUPS_H

#include <cjson/cJSON.h>
#include "probes/snapshot.h"
#include "views/cgname.h"
#include "views/model.h"

enum group_level { GROUP_OFF, GROUP_UNIT, GROUP_SLICE, GROUP_LEVELS };

struct group {
	char path[512];
	char name[128];
	enum cg_kind kind;
	uint32_t members;              /* processes (tcp: owners) counted */
	double cpu_pct;
	uint64_t oncpu_ns;
	uint64_t waits, hist[HIST_BUCKETS];
	double max_us;
	uint64_t caused_ns;            /* runq: delay its processes caused others */
	uint64_t calls, errors;
	double per_s;
	uint32_t conns;
	uint64_t tx, rx;
	double tx_per_s, rx_per_s;
};

struct groups {
	size_t n;
	struct group *g;
};

/* The groups of pane's rows at level (GROUP_UNIT or GROUP_SLICE). */
int groups_build(const struct snapshot *s, enum pane_id pane, enum group_level level,
		 struct groups *out);
void groups_free(struct groups *g);
/* The group table of pane at level, in place of its process rows; the
 * last column is the group's path (Enter drills into it). */
void groups_view(const struct snapshot *s, enum pane_id pane, enum group_level level,
		 struct pane_model *m);
/* "groups" for pane's JSON: the unit level, always present. */
cJSON *groups_json(const struct snapshot *s, enum pane_id pane);
/* The name of the table column holding a group's path. */
#define GROUP_PATH_COLUMN "CGROUP"

#endif
