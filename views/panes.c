#include <stdio.h>
#include <string.h>
#include "views/view.h"

#define EBTOP_VIEW_DECL(ID, name) extern const struct pane name##_pane;
EBTOP_PANES(EBTOP_VIEW_DECL)
#undef EBTOP_VIEW_DECL

#define EBTOP_VIEW_ENTRY(ID, name) [PANE_##ID] = &name##_pane,
const struct pane *const panes[NPANES] = { EBTOP_PANES(EBTOP_VIEW_ENTRY) };
#undef EBTOP_VIEW_ENTRY

#define EBTOP_NAME_ENTRY(ID, name) [PANE_##ID] = #name,
static const char *const pane_names[NPANES] = { EBTOP_PANES(EBTOP_NAME_ENTRY) };
#undef EBTOP_NAME_ENTRY

const char *pane_name(enum pane_id id)
{
	return pane_names[id];
}

void pane_list(char *buf, size_t len, const char *sep, const char *last_sep)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < NPANES && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s",
				 !i ? "" : i == NPANES - 1 ? last_sep : sep, pane_names[i]);
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
	if (!s->error[id][0]) {
		panes[id]->build(s, o, m);
		return;
	}
	model_init(m, NULL, 0, -1);
	model_line(m);
	model_seg(m, ROLE_WARN, "%s pane unavailable: %s", pane_names[id], s->error[id]);
}
