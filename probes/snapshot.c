#include <stdlib.h>
#include "snapshot.h"

void snapshot_free(struct snapshot *s)
{
	for (size_t i = 0; i < s->cpu.n; i++)
		free(s->cpu.rows[i].cgroup);
	free(s->cpu.rows);
	s->cpu.rows = NULL;
	s->cpu.n = 0;
}
