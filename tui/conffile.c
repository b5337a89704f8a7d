#include <ctype.h>
#include <string.h>
#include "probes/note.h"
#include "tui/conffile.h"

int conf_lines(const char *text, size_t len, conf_line_fn fn, void *fn_ctx, conf_warn_fn warn,
	       void *warn_ctx)
{
	int warnings = 0, line = 0;
	size_t i = 0;
	char msg[NOTE_LEN];

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t used = nl ? (size_t)(nl - (text + i)) : len - i, n = used;
		const char *why;

		line++;
		if (n && text[i + n - 1] == '\r')
			n--;
		why = n > CONF_LINE_MAX ? "line too long" : fn(fn_ctx, text + i, n, msg, sizeof(msg));
		if (why) {
			warnings++;
			if (warn)
				warn(warn_ctx, line, why);
		}
		i += used + 1;
	}
	return warnings;
}

const char *conf_content(const char *s, size_t n, const char **start, const char **end)
{
	const char *e = s + n;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '#' && (i == 0 || isspace((unsigned char)s[i - 1])) &&
		    (i + 1 == n || isspace((unsigned char)s[i + 1]))) {
			e = s + i;
			break;
		}
		if (s[i] == '\0')
			return "binary data";
	}
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*start = s;
	*end = e;
	return NULL;
}

void conf_quote(char *out, size_t outlen, const char *s, size_t n)
{
	size_t j = 0;

	for (size_t i = 0; i < n && i < 24 && j + 1 < outlen; i++)
		out[j++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[j] = '\0';
	if (n > 24 && j + 4 < outlen)
		strcat(out, "...");
}
