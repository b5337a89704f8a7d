/* The one list of panes, in key order (key 1 is the first). An entry is
 * the pane's id suffix and its name (as -v and JSON spell it):
 * PANE_CPU, cpu. Each pane has its data source, cpu_probe_ops in
 * probes/cpu.c, and its view, cpu_pane in views/cpu.c; everything else
 * (the pane enum, the probe list, the view list, names, keys, help and
 * usage text) is made from this list. */
#ifndef EBTOP_PANE_LIST_H
#define EBTOP_PANE_LIST_H

#define EBTOP_PANES(X) \
	X(CPU, cpu)    \
	X(RUNQ, runq)  \
	X(SYS, sys)    \
	X(TCP, tcp)    \
	X(EXEC, exec)  \
	X(STACK, stack)

#define EBTOP_PANE_ID(ID, name) PANE_##ID,
enum pane_id { EBTOP_PANES(EBTOP_PANE_ID) NPANES };
#undef EBTOP_PANE_ID

#endif
