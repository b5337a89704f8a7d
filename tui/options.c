#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf_version.h>
#include <linux/types.h>
#include "bpf/stack.h"
#include "views/metrics.h"
#include "tui/options.h"
#include "probes/procfs.h"
#include "views/view.h"

/* a printf format: %s is the list of panes */
static const char usage[] =
	"Usage: ebtop [OPTION]...\n"
	"Live system explorer: on-CPU time, run-queue latency, syscalls, TCP, execs and\n"
	"stacks, collected in the kernel with eBPF.\n\n"
	"  -d, --delay=SECS        refresh interval in seconds, 0.1 to 3600 (default 1)\n"
	"  -p, --pid=PID[,PID...]  only these processes and the processes they start afterwards\n"
	"  -c, --cgroup=PATH       only tasks in this cgroup v2 and its descendants\n"
	"                          (absolute path, or relative to the cgroup2 mount)\n"
	"  -v, --view=NAME         first pane: %s (default cpu)\n"
	"  -t, --theme=NAME|FILE   colour theme (default: default); NO_COLOR is honoured\n"
	"  -b, --batch             no curses: print the current pane as plain text each refresh\n"
	"  -n, --iterations=N      exit after N refreshes (interactive, --batch, --json, --listen)\n"
	"  -j, --json=FILE         no curses: write one JSON snapshot of all panes per refresh,\n"
	"                          one document per line; FILE \"-\" is stdout\n"
	"      --snapshot-dir=DIR  where the s key writes snapshots (default: current dir)\n"
	"      --sys-latency       also time syscalls (costs a sys_enter hook and a clock read)\n"
	"      --runq-slow=LAT     a run-queue wait this long is slow (default 1ms; 250us, 2ms)\n"
	"      --threads           read threads too (cpu.threads in JSON; H on screen)\n"
	"      --self              ebtop's own cost (self in JSON, under ? on screen), with\n"
	"                          the kernel's BPF stats on for the run (BPF time per probe)\n"
	"      --listen=ADDR:PORT  no curses: serve Prometheus/OpenMetrics metrics at\n"
	"                          http://ADDR:PORT/metrics (port 0: any free port)\n"
	"      --allow-remote      let --listen use an address other than loopback\n"
	"      --metrics-top=N     busiest N processes and cgroups per metric (default 50)\n"
	"      --history=DUR       keep DUR of refreshes in memory for rewind ([ ] { }):\n"
	"                          90s, 10m, 2h (default 10m; 0: off)\n"
	"      --record=FILE       no curses: append every refresh to FILE as a frame\n"
	"                          (a CRC-checked, zstd-compressed JSON document; mode 0600);\n"
	"                          SIGHUP reopens FILE\n"
	"      --record-max=SIZE   rotate FILE to FILE.1 ... past SIZE (500K, 64M, 2G)\n"
	"      --record-keep=N     rotated files kept (default 5)\n"
	"  -r, --replay=FILE       show a recording, a --json file (plain, .gz, .zst) or an\n"
	"                          s snapshot, with no BPF and no root; [ ] { } to move in time,\n"
	"                          space to play; with --json or --batch, re-emit it\n"
	"      --at=TIME           where a replay starts: HH:MM[:SS], or -90s from its end\n"
	"      --from=TIME, --to=TIME  the frames --replay with --batch or --json re-emits\n"
	"      --prof              sample stacks headless too (stack in JSON; pane 6 on screen)\n"
	"      --prof-hz=N         stack samples per second per CPU, 1 to 1000 (default 49)\n"
	"      --folded=FILE       at exit, write the run's stacks in folded form\n"
	"                          (comm;frame;frame count) for flamegraph.pl; implies --prof\n"
	"      --offcpu            stacks off-CPU: time blocked, by stack (o on screen)\n"
	"      --offcpu-min=LAT    off-CPU: the shortest block counted (default 1ms)\n"
	"      --no-mouse          leave the mouse to the terminal (select and paste text)\n"
	"      --config=FILE       settings file (default ~/.config/ebtop/ebtoprc): pane, sort,\n"
	"                          theme, delay, header, mouse; read at start, written at exit\n"
	"      --no-config         neither read nor write a settings file\n"
	"  -h, --help              show this help\n"
	"  -V, --version           show the version\n\n"
	"Needs root (or CAP_BPF+CAP_PERFMON) and a kernel with BTF.\n"
	"Exit status: 0 normal, 1 runtime failure, 2 bad usage.\n";

enum { OPT_SNAPSHOT_DIR = 256, OPT_SYS_LATENCY, OPT_RUNQ_SLOW, OPT_THREADS, OPT_SELF, OPT_LISTEN, OPT_ALLOW_REMOTE, OPT_METRICS_TOP,
       OPT_RECORD, OPT_RECORD_MAX, OPT_RECORD_KEEP, OPT_HISTORY, OPT_AT, OPT_FROM, OPT_TO,
       OPT_NO_MOUSE, OPT_CONFIG, OPT_NO_CONFIG, OPT_PROF, OPT_PROF_HZ, OPT_FOLDED,
       OPT_OFFCPU, OPT_OFFCPU_MIN };

int options_parse_delay(const char *s, double *delay, char *err, size_t errlen)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(d) || d < DELAY_MIN || d > DELAY_MAX) {
		snprintf(err, errlen, "invalid delay '%s': give seconds from %g to %g", s, DELAY_MIN,
			 DELAY_MAX);
		return -1;
	}
	*delay = d;
	return 0;
}

/* A finite number >= 0 at the start of s, *end after it; -1 if none. */
static int leading_number(const char *s, double *v, char **end)
{
	errno = 0;
	*v = strtod(s, end);
	return errno || *end == s || !isfinite(*v) || *v < 0 ? -1 : 0;
}

int options_parse_duration(const char *s, double *secs)
{
	char *end;
	double v;

	if (leading_number(s, &v, &end))
		return -1;
	if (*end == 'm')
		v *= 60, end++;
	else if (*end == 'h')
		v *= 3600, end++;
	else if (*end == 's')
		end++;
	if (*end || v > 86400)
		return -1;
	*secs = v;
	return 0;
}

int options_parse_latency(const char *s, uint64_t *us)
{
	char *end;
	double v;

	if (leading_number(s, &v, &end))
		return -1;
	if (!strcmp(end, "us"))
		;
	else if (!strcmp(end, "s"))
		v *= 1e6;
	else if (!*end || !strcmp(end, "ms"))
		v *= 1e3;
	else
		return -1;
	if (v < 1 || v > 1e7)
		return -1;
	*us = (uint64_t)(v + 0.5);
	return 0;
}

int options_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	const char *u;
	char *end;
	unsigned long long v;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end && (u = strchr(units, *end))) {
		for (long shift = (u - units + 1) * 10; shift; shift -= 10) {
			if (v > (~0ull >> 10))
				return -1;
			v <<= 10;
		}
		end++;
	}
	if (*end)
		return -1;
	*bytes = v;
	return 0;
}

int options_parse_pids(const char *s, uint32_t *pids, size_t max, size_t *n, char *err,
		       size_t errlen)
{
	if (options_parse_pid_list(s, pids, max, n, err, errlen))
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (!procfs_exists(pids[i])) {
			snprintf(err, errlen, "pid %u does not exist", pids[i]);
			return -1;
		}
	return 0;
}

int options_parse_pid_list(const char *s, uint32_t *pids, size_t max, size_t *n, char *err,
			   size_t errlen)
{
	const char *p = s;

	*n = 0;
	while (*p) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno || end == p || (*end && *end != ',') || v == 0 || v > 0x7fffffff ||
		    *p == '-' || *p == '+' || *p == ' ') {
			snprintf(err, errlen, "invalid pid list '%s': give PID[,PID...]", s);
			return -1;
		}
		if (*n == max) {
			snprintf(err, errlen, "too many pids: at most %zu", max);
			return -1;
		}
		pids[(*n)++] = v;
		p = *end ? end + 1 : end;
		if (*end && !*p) {
			snprintf(err, errlen, "invalid pid list '%s': trailing comma", s);
			return -1;
		}
	}
	if (!*n) {
		snprintf(err, errlen, "empty pid list");
		return -1;
	}
	return 0;
}

/* A whole number from 1 to max (0: no bound). */
static int parse_count(const char *s, const char *what, long max, long *n, char *err,
		       size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || (max && v > max)) {
		if (max)
			snprintf(err, errlen, "invalid %s '%s': give a whole number from 1 to %ld",
				 what, s, max);
		else
			snprintf(err, errlen, "invalid %s '%s': give a whole number >= 1", what, s);
		return -1;
	}
	*n = v;
	return 0;
}

enum parse_result options_parse(int argc, char **argv, struct options *o, FILE *out, char *err,
				size_t errlen)
{
	static const struct option longopts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "pid", required_argument, NULL, 'p' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "view", required_argument, NULL, 'v' },
		{ "theme", required_argument, NULL, 't' },
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "json", required_argument, NULL, 'j' },
		{ "snapshot-dir", required_argument, NULL, OPT_SNAPSHOT_DIR },
		{ "sys-latency", no_argument, NULL, OPT_SYS_LATENCY },
		{ "runq-slow", required_argument, NULL, OPT_RUNQ_SLOW },
		{ "threads", no_argument, NULL, OPT_THREADS },
		{ "self", no_argument, NULL, OPT_SELF },
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "allow-remote", no_argument, NULL, OPT_ALLOW_REMOTE },
		{ "metrics-top", required_argument, NULL, OPT_METRICS_TOP },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "record-max", required_argument, NULL, OPT_RECORD_MAX },
		{ "record-keep", required_argument, NULL, OPT_RECORD_KEEP },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "no-mouse", no_argument, NULL, OPT_NO_MOUSE },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
		{ "to", required_argument, NULL, OPT_TO },
		{ "history", required_argument, NULL, OPT_HISTORY },
		{ "at", required_argument, NULL, OPT_AT },
		{ "prof", no_argument, NULL, OPT_PROF },
		{ "prof-hz", required_argument, NULL, OPT_PROF_HZ },
		{ "folded", required_argument, NULL, OPT_FOLDED },
		{ "offcpu", no_argument, NULL, OPT_OFFCPU },
		{ "offcpu-min", required_argument, NULL, OPT_OFFCPU_MIN },
		{ "replay", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	char names[NPANES * 16];
	int c;

	memset(o, 0, sizeof(*o));
	o->delay = 1.0;
	o->view = PANE_CPU;
	o->theme = "default";
	o->metrics_top = METRICS_TOP_DEFAULT;
	o->history_s = 600;
	o->runq_slow_us = 1000;
	o->record_keep = RECORD_KEEP_DEFAULT;
	o->prof_hz = STACK_HZ_DEFAULT;
	optind = 0; /* full reset, so tests can parse repeatedly */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:p:c:v:t:bn:j:r:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (options_parse_delay(optarg, &o->delay, err, errlen))
				return PARSE_USAGE;
			o->given_delay = true;
			break;
		case 'p':
			/* whether they must be running is known once --replay is */
			if (options_parse_pid_list(optarg, o->pids, MAX_FILTER_PIDS, &o->npids,
						   err, errlen))
				return PARSE_USAGE;
			break;
		case 'c':
			o->cgroup = optarg;
			break;
		case 'v':
			o->view = pane_id_by_name(optarg);
			if (o->view < 0) {
				pane_list(names, sizeof(names), ", ", " or ");
				snprintf(err, errlen, "unknown view '%s': use %s", optarg, names);
				return PARSE_USAGE;
			}
			o->given_view = true;
			break;
		case 't':
			o->theme = optarg;
			o->given_theme = true;
			break;
		case 'b':
			o->batch = true;
			break;
		case 'n':
			if (parse_count(optarg, "iteration count", 0, &o->iterations, err,
					errlen))
				return PARSE_USAGE;
			break;
		case 'j':
			if (!*optarg) {
				snprintf(err, errlen, "--json needs a file name, or - for stdout");
				return PARSE_USAGE;
			}
			o->json = optarg;
			break;
		case OPT_SNAPSHOT_DIR:
			o->snapshot_dir = optarg;
			break;
		case OPT_SYS_LATENCY:
			o->sys_latency = true;
			break;
		case OPT_LISTEN:
			o->listen = optarg;
			break;
		case OPT_ALLOW_REMOTE:
			o->allow_remote = true;
			break;
		case OPT_THREADS:
			o->threads = true;
			break;
		case OPT_SELF:
			o->self = true;
			break;
		case OPT_RUNQ_SLOW:
			if (options_parse_latency(optarg, &o->runq_slow_us)) {
				snprintf(err, errlen, "invalid --runq-slow '%s': give 250us, 1ms or 0.5s "
						      "(1us to 10s)", optarg);
				return PARSE_USAGE;
			}
			break;
		case OPT_HISTORY:
			if (options_parse_duration(optarg, &o->history_s)) {
				snprintf(err, errlen, "invalid --history '%s': give 90s, 10m or 2h "
						      "(at most 24h; 0 turns it off)", optarg);
				return PARSE_USAGE;
			}
			break;
		case OPT_AT:
			o->at = optarg;
			break;
		case OPT_RECORD:
			o->record = optarg;
			break;
		case OPT_RECORD_MAX:
			/* below one frame's worth a file would rotate every refresh */
			if (options_parse_size(optarg, &o->record_max) || o->record_max < 65536) {
				snprintf(err, errlen, "invalid --record-max '%s': give a size of "
						      "at least 64K, as 500K, 64M or 2G", optarg);
				return PARSE_USAGE;
			}
			break;
		case OPT_RECORD_KEEP:
			if (parse_count(optarg, "--record-keep", RECORD_KEEP_MAX, &o->record_keep,
					err, errlen))
				return PARSE_USAGE;
			break;
		case OPT_FROM:
			o->from = optarg;
			break;
		case OPT_NO_MOUSE:
			o->no_mouse = true;
			break;
		case OPT_CONFIG:
			o->config = optarg;
			break;
		case OPT_NO_CONFIG:
			o->no_config = true;
			break;
		case OPT_TO:
			o->to = optarg;
			break;
		case OPT_PROF:
			o->prof = true;
			break;
		case OPT_PROF_HZ:
			if (parse_count(optarg, "--prof-hz", STACK_HZ_MAX, &o->prof_hz, err, errlen))
				return PARSE_USAGE;
			break;
		case OPT_FOLDED:
			o->folded = optarg;
			o->prof = true;
			break;
		case OPT_OFFCPU:
			o->offcpu = true;
			break;
		case OPT_OFFCPU_MIN:
			if (options_parse_latency(optarg, &o->offcpu_min_us)) {
				snprintf(err, errlen,
					 "invalid --offcpu-min '%s': give 1us to 10s (250us, 1ms, 0.5s)",
					 optarg);
				return PARSE_USAGE;
			}
			break;
		case 'r':
			o->replay = optarg;
			break;
		case OPT_METRICS_TOP:
			if (parse_count(optarg, "--metrics-top", METRICS_TOP_MAX, &o->metrics_top,
					err, errlen))
				return PARSE_USAGE;
			break;
		case 'h':
			pane_list(names, sizeof(names), ", ", ", ");
			fprintf(out, usage, names);
			return PARSE_EXIT;
		case 'V':
			fprintf(out, "ebtop %s (%s build, libbpf %d.%d)\n", EBTOP_VERSION, EBTOP_BUILD,
				LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION);
			return PARSE_EXIT;
		case ':':
			snprintf(err, errlen, "option '%s' needs a value (see --help)",
				 argv[optind - 1]);
			return PARSE_USAGE;
		default:
			snprintf(err, errlen, "unknown option '%s' (see --help)", argv[optind - 1]);
			return PARSE_USAGE;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s' (see --help)", argv[optind]);
		return PARSE_USAGE;
	}
	if (o->listen && (o->batch || o->json)) {
		snprintf(err, errlen, "--listen serves metrics until stopped: it cannot be combined "
				      "with %s", o->batch ? "--batch" : "--json");
		return PARSE_USAGE;
	}
	if ((o->allow_remote || o->metrics_top != METRICS_TOP_DEFAULT) && !o->listen) {
		snprintf(err, errlen, "%s only applies to --listen",
			 o->allow_remote ? "--allow-remote" : "--metrics-top");
		return PARSE_USAGE;
	}
	if (o->record && (o->batch || o->json || o->listen || o->replay)) {
		snprintf(err, errlen, "--record runs on its own: it cannot be combined with %s",
			 o->batch ? "--batch" : o->json ? "--json" : o->listen ? "--listen" : "--replay");
		return PARSE_USAGE;
	}
	if (o->replay && o->listen) {
		snprintf(err, errlen, "--replay shows what was recorded: --listen does not apply to it");
		return PARSE_USAGE;
	}
	for (size_t i = 0; !o->replay && i < o->npids; i++)
		if (!procfs_exists(o->pids[i])) {
			snprintf(err, errlen, "pid %u does not exist", o->pids[i]);
			return PARSE_USAGE;
		}
	if (o->config && o->no_config) {
		snprintf(err, errlen, "--config and --no-config: choose one");
		return PARSE_USAGE;
	}
	if ((o->at || o->from || o->to) && !o->replay) {
		snprintf(err, errlen, "%s only applies to --replay",
			 o->at ? "--at" : o->from ? "--from" : "--to");
		return PARSE_USAGE;
	}
	if ((o->from || o->to) && !o->batch && !o->json) {
		snprintf(err, errlen, "%s chooses what --batch or --json re-emit: give one of them",
			 o->from ? "--from" : "--to");
		return PARSE_USAGE;
	}
	if ((o->record_max || o->record_keep != RECORD_KEEP_DEFAULT) && !o->record) {
		snprintf(err, errlen, "%s only applies to --record",
			 o->record_max ? "--record-max" : "--record-keep");
		return PARSE_USAGE;
	}
	if (o->batch && o->json && !strcmp(o->json, "-")) {
		snprintf(err, errlen, "--batch and --json both claim stdout: choose one");
		return PARSE_USAGE;
	}
	return PARSE_OK;
}
