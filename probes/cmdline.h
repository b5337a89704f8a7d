/* Full command lines and parents for the cpu pane's rows, from
 * /proc/PID/cmdline and /proc/PID/stat, read once per process (a pid
 * whose comm changed, after an exec or a reuse, is read again) and
 * dropped with the process. A process reparented later (its parent
 * exited) keeps the parent it had: that one is gone from the rows, so
 * the tree shows it as a root all the same. */
#ifndef EBTOP_CMDLINE_H
#define EBTOP_CMDLINE_H

struct snapshot;

/* Give the cpu rows their command lines (row->cmdline, owned by the row):
 * the arguments joined by spaces, or "[comm]" for a kernel thread, as ps
 * shows them. */
void cmdline_fill(struct snapshot *s);
/* The fourth field of /proc/PID/stat, after the comm in parentheses
 * (which may hold spaces and parentheses itself); 0 when unknown. */
unsigned stat_ppid(const char *stat);
void cmdline_free(void);

#endif
