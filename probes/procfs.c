#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "probes/procfs.h"

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int procfs_exists(uint32_t pid)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u", pid);
	return stat(path, &st) == 0;
}

int procfs_runtime(uint32_t tgid, uint32_t tid, uint64_t *ns)
{
	char path[64], line[128];
	unsigned long long v;
	int err;

	snprintf(path, sizeof(path), "/proc/%u/task/%u/schedstat", tgid, tid);
	if ((err = read_line(path, line, sizeof(line))))
		return err;
	if (sscanf(line, "%llu", &v) != 1)
		return -EINVAL;
	*ns = v;
	return 0;
}

int procfs_comm(uint32_t pid, char *buf, size_t len)
{
	char path[64], line[64];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	if (!(f = fopen(path, "re")))
		return -errno;
	if (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "%s", line);
	} else {
		err = -ENOENT;
	}
	fclose(f);
	return err;
}

int procfs_cgroup(uint32_t pid, char *buf, size_t len)
{
	char path[64], line[4096];
	int err = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	if (!(f = fopen(path, "re")))
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "0::", 3)) { /* the cgroup v2 line */
			snprintf(buf, len, "%s", line + 3);
			err = 0;
			break;
		}
	}
	fclose(f);
	return err;
}

/* The last number of a status line's values ("\t4242\t7": 7). */
static uint32_t last_number(const char *values)
{
	const char *p = values + strlen(values);

	while (p > values && (p[-1] < '0' || p[-1] > '9'))
		p--;
	while (p > values && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return (uint32_t)strtoul(p, NULL, 10);
}

int procfs_ids(uint32_t pid, uint32_t *nspid, uint32_t *fsuid)
{
	char path[64], line[512];
	bool uid = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	if (!(f = fopen(path, "re")))
		return -errno;
	*nspid = pid; /* a kernel without NSpid has one pid namespace */
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "Uid:", 4)) {
			*fsuid = last_number(line + 4);
			uid = true;
		} else if (!strncmp(line, "NSpid:", 6)) {
			*nspid = last_number(line + 6);
		}
	}
	fclose(f);
	return uid ? 0 : -ENOENT;
}
