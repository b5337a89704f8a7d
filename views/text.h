/* The one sanitizer every string from the kernel or /proc goes through
 * before it reaches a screen, a text file or a terminal; and display width. */
#ifndef EBTOP_TEXT_H
#define EBTOP_TEXT_H

#include <stddef.h>

/* Copy in (len bytes, may hold anything) to a new NUL-terminated UTF-8
 * string: C0 and C1 controls and DEL become \xNN, invalid UTF-8 bytes
 * become U+FFFD, a backslash stays a backslash. */
char *text_sanitize(const char *in, size_t len);
/* Display width in terminal columns of sanitized UTF-8 (wide chars 2). */
int text_width(const char *s);
/* Byte length of the longest prefix of s that fits in cols columns; its
 * width goes to *width when width is not NULL. */
size_t text_fit(const char *s, int cols, int *width);

#endif
