/* Full command lines for the cpu pane's rows, from /proc/PID/cmdline, read
 * once per process (a pid whose comm changed, after an exec or a reuse,
 * is read again) and dropped with the process. */
#ifndef EBTOP_CMDLINE_H
#define EBTOP_CMDLINE_H

struct snapshot;

/* Give the cpu rows their command lines (row->cmdline, owned by the row):
 * the arguments joined by spaces, or "[comm]" for a kernel thread, as ps
 * shows them. */
void cmdline_fill(struct snapshot *s);
void cmdline_free(void);

#endif
