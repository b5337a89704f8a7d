#include <stdio.h>
#include <string.h>
#include "views/view.h"

void fmt_duration_ns(char *buf, size_t len, double ns)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
}

static void scaled(char *buf, size_t len, double n, double base, const char *const *units)
{
	int u = 0;

	while (n >= base && units[u + 1]) {
		n /= base;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f%s", n, units[0]);
	else
		snprintf(buf, len, n < 10 ? "%.2f%s" : n < 100 ? "%.1f%s" : "%.0f%s", n, units[u]);
}

void fmt_count(char *buf, size_t len, double n)
{
	static const char *const units[] = { "", "k", "M", "G", "T", NULL };

	scaled(buf, len, n, 1000, units);
}

void fmt_us(char *buf, size_t len, double us)
{
	fmt_duration_ns(buf, len, us * 1e3);
}

void fmt_bytes(char *buf, size_t len, double n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", NULL };

	scaled(buf, len, n, 1024, units);
}

void fmt_user(char *buf, size_t len, const char *name)
{
	if (strlen(name) > USER_COLS)
		snprintf(buf, len, "%.*s+", USER_COLS - 1, name);
	else
		snprintf(buf, len, "%s", name);
}

uint64_t fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}
