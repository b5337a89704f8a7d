/* Line-based files ebtop reads (themes, settings): any bytes at all, LF or
 * CRLF, a line at most CONF_LINE_MAX bytes; '#' starts a comment at the
 * start of a line or after a blank, when a blank or the end follows (so
 * "#rrggbb" stays a colour). A bad line is one warning, never more. */
#ifndef EBTOP_CONFFILE_H
#define EBTOP_CONFFILE_H

#include <stddef.h>

#define CONF_LINE_MAX 4096

/* One line, without its newline: NULL when fine, else why not (msg is a
 * buffer for a reason built on the spot). */
typedef const char *(*conf_line_fn)(void *ctx, const char *s, size_t n, char *msg, size_t msglen);
/* Once per bad line; msg is printable ASCII. */
typedef void (*conf_warn_fn)(void *ctx, int line, const char *msg);

/* Each line to fn; returns the number of bad lines. */
int conf_lines(const char *text, size_t len, conf_line_fn fn, void *fn_ctx, conf_warn_fn warn,
	       void *warn_ctx);
/* The line's content, its comment and outer blanks taken off: [*start, *end)
 * (empty for a blank line). NULL, or "binary data" for a NUL in it. */
const char *conf_content(const char *s, size_t n, const char **start, const char **end);
/* s (n bytes) for a message: printable ASCII, cut at 24 with "...". */
void conf_quote(char *out, size_t outlen, const char *s, size_t n);

#endif
