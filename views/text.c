#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "views/text.h"

/* Decode one UTF-8 sequence; returns its length, or 0 if invalid. Rejects
 * overlongs, surrogates and code points past U+10FFFF. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n;
	uint32_t min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, *cp = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, *cp = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, *cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

char *text_sanitize(const char *in, size_t len)
{
	/* worst case: every byte becomes \xNN (4 bytes) */
	char *out = malloc(len * 4 + 1), *o = out;
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0;

	if (!out)
		return NULL;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (n == 0) {
			memcpy(o, "\xef\xbf\xbd", 3); /* U+FFFD */
			o += 3;
			i++;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			static const char hex[] = "0123456789abcdef";

			*o++ = '\\', *o++ = 'x', *o++ = hex[cp >> 4], *o++ = hex[cp & 15];
			i += n;
		} else {
			memcpy(o, s + i, n);
			o += n;
			i += n;
		}
	}
	*o = '\0';
	return out;
}

/* Width of one code point; our own table-free rule set would be wrong for
 * CJK, so trust the C library, with unknowns counted as one column. */
static int cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : w;
}

size_t text_fit(const char *s, int cols, int *width)
{
	size_t len = strlen(s), i = 0;
	int w = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);

		if (!n)
			n = 1, cp = '?';
		if (w + cp_width(cp) > cols)
			break;
		w += cp_width(cp);
		i += n;
	}
	if (width)
		*width = w;
	return i;
}

int text_width(const char *s)
{
	int w;

	text_fit(s, INT_MAX, &w);
	return w;
}
