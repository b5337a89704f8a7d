#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "views/cgname.h"

const char *cg_kind_name(enum cg_kind k)
{
	static const char *const names[] = { "service", "scope", "session", "container", "pod",
					     "slice", "other" };

	return k <= CG_OTHER ? names[k] : "other";
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* the uid of the nearest "user-N.slice" or "user@N.service" in path, or -1 */
static long owner_uid(const char *path)
{
	const char *p;
	long uid = -1;

	for (p = path; (p = strstr(p, "/user")); p++) {
		long v;
		char c;

		if (sscanf(p, "/user-%ld.slic%c", &v, &c) == 2 || sscanf(p, "/user@%ld.servic%c", &v, &c) == 2)
			uid = v;
	}
	return uid;
}

/* a container id: 12 hex digits shown, of at least 12 */
static bool container_id(const char *s, size_t n, char *out)
{
	size_t k = 0;

	while (k < n && ((s[k] >= '0' && s[k] <= '9') || (s[k] >= 'a' && s[k] <= 'f')))
		k++;
	if (k < 12 || k != n)
		return false;
	memcpy(out, s, 12);
	out[12] = '\0';
	return true;
}

/* "<runtime>-<id>.scope" or "/docker/<id>": the runtime's short name and
 * id12; false if the element is no container */
static bool container(const char *el, size_t n, const char *parent, char *runtime, char *id)
{
	static const struct {
		const char *prefix, *name;
	} rt[] = { { "docker-", "docker" }, { "cri-containerd-", "containerd" },
		   { "crio-", "crio" },      { "libpod-", "podman" } };

	if (ends_with(el, n, ".scope"))
		for (size_t i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
			size_t pl = strlen(rt[i].prefix);

			if (n > pl + 6 && !strncmp(el, rt[i].prefix, pl) &&
			    container_id(el + pl, n - pl - 6, id)) {
				strcpy(runtime, rt[i].name);
				return true;
			}
		}
	if (parent && !strcmp(parent, "docker") && container_id(el, n, id)) { /* cgroupfs driver */
		strcpy(runtime, "docker");
		return true;
	}
	return false;
}

/* "...-pod<uid>.slice" (uid with _ for -): the pod's first 8 characters */
static bool pod_uid(const char *el, size_t n, char *out)
{
	const char *p = NULL;

	if (!ends_with(el, n, ".slice"))
		return false;
	for (const char *q = el; q + 4 <= el + n; q++)
		if (!strncmp(q, "-pod", 4))
			p = q + 4;
	if (!p || el + n - 6 - p < 8)
		return false;
	memcpy(out, p, 8);
	out[8] = '\0';
	for (int i = 0; i < 8; i++)
		if (out[i] == '_')
			out[i] = '-';
	return true;
}

enum cg_kind cg_name(const char *path, char *name, size_t len)
{
	const char *last = strrchr(path, '/'), *prev;
	char parent[64] = "", runtime[16], id[16], pod[16], qos[16] = "guaranteed";
	size_t n;
	long uid = owner_uid(path);

	last = last ? last + 1 : path;
	n = strlen(last);
	if (!n) {
		snprintf(name, len, "/");
		return CG_SLICE;
	}
	/* the element before the last, for the cgroupfs layouts */
	for (prev = last - 1; prev > path && prev[-1] != '/'; prev--)
		;
	if (prev < last - 1 && (size_t)(last - 1 - prev) < sizeof(parent)) {
		memcpy(parent, prev, last - 1 - prev);
		parent[last - 1 - prev] = '\0';
	}
	if (container(last, n, parent, runtime, id)) {
		const char *k = strstr(path, "/kubepods");

		/* in Kubernetes, the pod is the element before the container's */
		if (k && pod_uid(prev, prev < last - 1 ? (size_t)(last - 1 - prev) : 0, pod)) {
			if (strstr(k, "burstable"))
				strcpy(qos, "burstable");
			else if (strstr(k, "besteffort"))
				strcpy(qos, "besteffort");
			snprintf(name, len, "pod %s/%s (%s)", pod, id, qos);
			return CG_POD;
		}
		snprintf(name, len, "%s:%s", runtime, id);
		return CG_CONTAINER;
	}
	if (starts_with(last, "session-") && ends_with(last, n, ".scope")) {
		if (uid >= 0)
			snprintf(name, len, "%.*s (uid %ld)", (int)(n - 6), last, uid);
		else
			snprintf(name, len, "%.*s", (int)(n - 6), last);
		return CG_SESSION;
	}
	if (ends_with(last, n, ".service") || ends_with(last, n, ".scope")) {
		bool user_unit = strstr(path, "/user@") && !starts_with(last, "user@");

		if (user_unit && uid >= 0)
			snprintf(name, len, "%s (uid %ld)", last, uid);
		else
			snprintf(name, len, "%s", last);
		return ends_with(last, n, ".service") ? CG_SERVICE : CG_SCOPE;
	}
	snprintf(name, len, "%s", last);
	return ends_with(last, n, ".slice") ? CG_SLICE : CG_OTHER;
}

void cg_slice(const char *path, char *out, size_t len)
{
	char buf[4096];
	char *slash;

	snprintf(buf, sizeof(buf), "%s", path);
	for (;;) {
		size_t n = strlen(buf);

		if (n > 1 && ends_with(buf, n, ".slice")) {
			snprintf(out, len, "%s", buf);
			return;
		}
		if (!(slash = strrchr(buf, '/')) || slash == buf)
			break;
		*slash = '\0';
	}
	snprintf(out, len, "/");
}
