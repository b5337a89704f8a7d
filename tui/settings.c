#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tui/settings.h"
#include "views/view.h"

/* a settings file is a few hundred bytes; anything past this is not one */
#define SETTINGS_MAX_BYTES (64u << 10)

void settings_init(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	s->pane = -1;
	s->header = s->mouse = s->cmdline = s->tree = -1;
	for (int p = 0; p < NPANES; p++)
		s->reverse[p] = -1;
}

static int on_off(const char *v)
{
	if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		return 0;
	return -1;
}

/* "sort.cpu" -> the pane after the prefix, or -1 */
static int pane_key(const char *key, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(key, prefix, n) ? -1 : pane_id_by_name(key + n);
}

/* the on / off settings, by key */
static int *toggle(struct settings *s, const char *key)
{
	return !strcmp(key, "header") ? &s->header : !strcmp(key, "mouse") ? &s->mouse
	     : !strcmp(key, "cmdline") ? &s->cmdline : !strcmp(key, "tree") ? &s->tree : NULL;
}

static const char *setting_line(void *ctx, const char *s, size_t n, char *msg, size_t msglen)
{
	struct settings *out = ctx;
	const char *start, *end, *eq, *why;
	char key[64], val[256], q[32];
	size_t kn, vn;
	int p, b, *flag;

	if ((why = conf_content(s, n, &start, &end)))
		return why;
	if (start == end)
		return NULL;
	if (!(eq = memchr(start, '=', end - start)))
		return "expected 'key = value'";
	for (kn = eq - start; kn && (start[kn - 1] == ' ' || start[kn - 1] == '\t'); kn--)
		;
	for (eq++; eq < end && (*eq == ' ' || *eq == '\t'); eq++)
		;
	vn = end - eq;
	if (kn >= sizeof(key) || vn >= sizeof(val))
		return "key or value too long";
	memcpy(key, start, kn);
	key[kn] = '\0';
	memcpy(val, eq, vn);
	val[vn] = '\0';
	for (size_t i = 0; i < vn; i++)
		if ((unsigned char)val[i] < 0x20 || val[i] == 0x7f)
			return "control characters in the value";
	if (val[0] == '#') /* written back as "key = #...", it would be a comment */
		return "a value cannot start with '#'";
	conf_quote(q, sizeof(q), val, vn);
	if (!strcmp(key, "pane")) {
		if ((p = pane_id_by_name(val)) < 0)
			return snprintf(msg, msglen, "unknown pane '%s'", q), msg;
		out->pane = p;
	} else if (!strcmp(key, "theme")) {
		if (!vn)
			return "empty theme";
		snprintf(out->theme, sizeof(out->theme), "%s", val);
	} else if (!strcmp(key, "delay")) {
		char *e;
		double d = strtod(val, &e);

		if (e == val || *e || !(d >= 0.1 && d <= 3600))
			return snprintf(msg, msglen, "bad delay '%s' (0.1 to 3600)", q), msg;
		out->delay = d;
	} else if ((flag = toggle(out, key))) {
		if ((b = on_off(val)) < 0)
			return snprintf(msg, msglen, "'%s' is not on or off", q), msg;
		*flag = b;
	} else if ((p = pane_key(key, "sort.")) >= 0) {
		if (!vn || vn >= SETTING_NAME_MAX)
			return "bad column name";
		memcpy(out->sort[p], val, vn + 1);
	} else if ((p = pane_key(key, "reverse.")) >= 0) {
		if ((b = on_off(val)) < 0)
			return snprintf(msg, msglen, "'%s' is not on or off", q), msg;
		out->reverse[p] = b;
	} else {
		conf_quote(q, sizeof(q), key, kn);
		return snprintf(msg, msglen, "unknown setting '%s'", q), msg;
	}
	return NULL;
}

int settings_parse(const char *text, size_t len, struct settings *s, conf_warn_fn warn, void *ctx)
{
	settings_init(s);
	return conf_lines(text, len, setting_line, s, warn, ctx);
}

char *settings_format(const struct settings *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "# ebtop settings, written at exit; see ebtop(1)\n");
	if (s->pane >= 0)
		fprintf(f, "pane = %s\n", pane_name(s->pane));
	if (s->theme[0])
		fprintf(f, "theme = %s\n", s->theme);
	if (s->delay > 0) { /* the shortest that reads back the same */
		char d[32];

		snprintf(d, sizeof(d), "%.15g", s->delay);
		if (strtod(d, NULL) != s->delay)
			snprintf(d, sizeof(d), "%.17g", s->delay);
		fprintf(f, "delay = %s\n", d);
	}
	if (s->header >= 0)
		fprintf(f, "header = %s\n", s->header ? "on" : "off");
	if (s->mouse >= 0)
		fprintf(f, "mouse = %s\n", s->mouse ? "on" : "off");
	if (s->cmdline >= 0)
		fprintf(f, "cmdline = %s\n", s->cmdline ? "on" : "off");
	if (s->tree >= 0)
		fprintf(f, "tree = %s\n", s->tree ? "on" : "off");
	for (int p = 0; p < NPANES; p++) {
		if (s->sort[p][0])
			fprintf(f, "sort.%s = %s\n", pane_name(p), s->sort[p]);
		if (s->reverse[p] >= 0)
			fprintf(f, "reverse.%s = %s\n", pane_name(p), s->reverse[p] ? "on" : "off");
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

void settings_path(const char *config, char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (config)
		snprintf(buf, len, "%s", config);
	else if (xdg && *xdg == '/')
		snprintf(buf, len, "%s/ebtop/ebtoprc", xdg);
	else if (home && *home == '/')
		snprintf(buf, len, "%s/.config/ebtop/ebtoprc", home);
	else
		snprintf(buf, len, "%s", "");
}

int settings_load(const char *path, struct settings *s, conf_warn_fn warn, void *ctx)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK), e;
	struct stat st;
	char *text;
	ssize_t n;

	settings_init(s);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	e = fstat(fd, &st) ? -errno : !S_ISREG(st.st_mode) ? -EINVAL
		: st.st_size > SETTINGS_MAX_BYTES ? -EFBIG : 0;
	if (e) {
		close(fd);
		return e;
	}
	if (!(text = malloc(SETTINGS_MAX_BYTES + 1))) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, text, SETTINGS_MAX_BYTES + 1);
	e = n < 0 ? -errno : 0;
	close(fd);
	if (!e && n > (ssize_t)SETTINGS_MAX_BYTES)
		e = -EFBIG;
	if (!e)
		settings_parse(text, n, s, warn, ctx);
	free(text);
	return e;
}

/* The directory part of path made, 0700, if missing (one level: the
 * ebtop directory in ~/.config, which itself may have to be made too). */
static int make_dirs(const char *path)
{
	char dir[4096];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if (!(slash = strrchr(dir, '/')) || slash == dir)
		return 0;
	*slash = '\0';
	if (!mkdir(dir, 0700) || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -errno;
	if ((slash = strrchr(dir, '/')) && slash != dir) { /* ~/.config itself */
		*slash = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return -errno;
		*slash = '/';
	}
	return mkdir(dir, 0700) && errno != EEXIST ? -errno : 0;
}

int settings_save(const char *path, const char *text)
{
	char tmp[4200];
	size_t len = strlen(text);
	int fd, e;

	if ((e = make_dirs(path)))
		return e;
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	e = write(fd, text, len) == (ssize_t)len && !fsync(fd) ? 0 : errno ? -errno : -EIO;
	if (close(fd) && !e)
		e = -errno;
	if (!e && rename(tmp, path))
		e = -errno;
	if (e)
		unlink(tmp);
	return e;
}
