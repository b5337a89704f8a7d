/* The size of a reason or a note for the user (a probe's why, a pane's
 * note, a prompt's error): what fits one status line. */
#ifndef EBTOP_NOTE_H
#define EBTOP_NOTE_H

#define NOTE_LEN 160

#endif
