#include <string.h>
#include "view.h"

extern const struct pane cpu_pane, runq_pane, sys_pane, tcp_pane, exec_pane;

/* Panes in key order (1-5). A pane whose probe is not in this build has no
 * entry; it shows as unavailable like a pane whose probe failed. */
const struct pane *const panes[NPANES] = {
	[PANE_CPU] = &cpu_pane,
	[PANE_RUNQ] = &runq_pane,
	[PANE_SYS] = &sys_pane,
	[PANE_TCP] = &tcp_pane,
	[PANE_EXEC] = &exec_pane,
};

static const char *const pane_names[NPANES] = { "cpu", "runq", "sys", "tcp", "exec" };

const char *pane_name(enum pane_id id)
{
	return pane_names[id];
}

int pane_id_by_name(const char *name)
{
	for (int i = 0; i < NPANES; i++)
		if (!strcmp(pane_names[i], name))
			return i;
	return -1;
}

void pane_build(enum pane_id id, const struct snapshot *s, const struct view_opts *o,
		struct pane_model *m)
{
	const struct pane *p = panes[id];

	if (p && !s->error[id][0]) {
		p->build(s, o, m);
		return;
	}
	model_init(m, NULL, 0, -1);
	model_line(m);
	model_seg(m, ROLE_WARN, "%s pane unavailable: %s", pane_names[id],
		  s->error[id][0] ? s->error[id] : "not in this build");
}
