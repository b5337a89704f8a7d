/* What ebtop remembers of each process of the cpu pane from one refresh
 * to the next: its full command line and parent, from /proc/PID/cmdline
 * and /proc/PID/stat, read once per process (a pid whose comm changed,
 * after an exec or a reuse, is read again), and its CPU share over the
 * last refreshes it ran in. All dropped with the process's row. A
 * process reparented later (its parent exited) keeps the parent it had:
 * that one is gone from the rows, so the tree shows it as a root all the
 * same. */
#ifndef EBTOP_PROCTRACK_H
#define EBTOP_PROCTRACK_H

struct snapshot;

/* Give the cpu rows their command lines (row->cmdline, owned by the row:
 * the arguments joined by spaces, or "[comm]" for a kernel thread, as ps
 * shows them), parents and CPU histories (row->trend). */
void proctrack_fill(struct snapshot *s);
/* The fourth field of /proc/PID/stat, after the comm in parentheses
 * (which may hold spaces and parentheses itself); 0 when unknown. */
unsigned stat_ppid(const char *stat);
void proctrack_free(void);
/* The owners' cgroups of the connections whose owner has no cpu row
 * (s->owners), from /proc, read once per owner. */
void proctrack_owners(struct snapshot *s);
void proctrack_free_owners(void);

#endif
