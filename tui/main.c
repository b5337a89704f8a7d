/* ebtop: parse, check, start the probes, run the loop. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tui/app.h"
#include "tui/folded.h"
#include "probes/cgroup.h"
#include "tui/log.h"
#include "tui/loop.h"
#include "tui/paint.h"
#include "views/metrics.h"
#include "tui/privs.h"
#include "tui/recorder.h"
#include "tui/replay.h"
#include "tui/serve.h"
#include "tui/settings.h"
#include "tui/term.h"
#include "tui/theme.h"
#include "views/view.h"

static int usage_error(const char *msg)
{
	log_msg("%s", msg);
	return 2;
}

/* --listen: parse, and refuse a non-loopback address unless allowed. */
static int check_listen(const struct options *o, struct listen_addr *la, char *err, size_t len)
{
	if (listen_parse(o->listen, la, err, len))
		return -1;
	if (!la->loopback && !o->allow_remote) {
		snprintf(err, len,
			 "--listen %s is not a loopback address: the metrics name processes, "
			 "cgroups and traffic to anyone who can connect; add --allow-remote to "
			 "serve them there",
			 o->listen);
		return -1;
	}
	return 0;
}

static void shut_down(struct app *a)
{
	server_free(a->server);
	metrics_free(a->metrics);
	collector_free(a->col);
	replay_free(a->replay);
	replay_free(a->history);
	recorder_close(a->recorder);
}

static FILE *open_output(const struct options *o, char *err, size_t len)
{
	FILE *f;

	if (!o->json || !strcmp(o->json, "-"))
		return stdout;
	f = fopen(o->json, "we");
	if (!f)
		snprintf(err, len, "cannot write --json file %s: %s", o->json, strerror(errno));
	return f;
}

/* Live data: the kernel's BTF, privileges, the probes. Returns an exit
 * status, 0 to go on. */
static int start_live(struct app *a, struct listen_addr *la, char *err, size_t len)
{
	int e;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		log_msg("this kernel has no BTF (/sys/kernel/btf/vmlinux): "
			"ebtop needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
		return 1;
	}
	if (privs_check(err, len)) {
		log_msg("%s", err);
		return 1;
	}
	/* bound before the probes load, so a busy port fails fast, and before
	 * privileges go, so a port below 1024 works */
	if (a->opt.listen && !(a->server = server_open(la, err, len))) {
		log_msg("%s", err);
		return 1;
	}
	log_capture_libbpf();
	struct collector_opts copts = { .sys_latency = a->opt.sys_latency,
					.runq_slow_us = a->opt.runq_slow_us,
					.prof_hz = (unsigned)a->opt.prof_hz,
					.prof = a->opt.prof,
					.offcpu = a->opt.offcpu,
					.offcpu_min_us = a->opt.offcpu_min_us };

	a->col = collector_new(&copts);
	if (!a->col || collector_all_failed(a->col, err, len)) {
		log_msg("cannot start any probe: %s", a->col ? err : strerror(errno));
		return 1;
	}
	if (a->opt.threads && collector_set_threads(a->col, true, err, len))
		log_msg("--threads: %s", err);
	if (a->opt.self && (e = collector_self_stats(a->col)))
		log_msg("--self: the kernel's BPF stats stay off (%s): no BPF time per probe",
			strerror(-e));
	/* loaded and attached (tracefs mounted if needed): shed the rest */
	if (privs_drop())
		log_msg("could not drop capabilities: %s", strerror(errno));
	if (a->server) {
		if (!(a->metrics = metrics_new(a->opt.metrics_top)) ||
		    server_start(a->server, a->metrics, err, len)) {
			log_msg("%s", a->metrics ? err : strerror(errno));
			return 1;
		}
		log_msg("serving metrics on %s", server_url(a->server));
	}
	return 0;
}

/* A replay needs neither BPF nor root: the first frame (or the one the
 * user asked for) is the snapshot on screen. */
static int start_replay(struct app *a, char *err, size_t len)
{
	if (!(a->replay = replay_open(a->opt.replay, err, len))) {
		log_msg("cannot replay: %s", err);
		return 1;
	}
	a->speed = 1;
	a->replay_to = UINT64_MAX;
	if (!a->interactive) { /* the range to re-emit: whole frames within it */
		uint64_t from = 0;

		if ((a->opt.from && app_parse_time(a, a->opt.from, &from, err, len)) ||
		    (a->opt.to && app_parse_time(a, a->opt.to, &a->replay_to, err, len))) {
			log_msg("%s", err);
			return 2;
		}
		a->frame = replay_find(a->replay, from);
		if (replay_time_ns(a->replay, a->frame) < from)
			a->frame++;
		return 0;
	}
	app_replay_show(a, 0);
	if (a->opt.at) {
		err[0] = '\0';
		app_branch(a, a->opt.at, err, len);
		if (err[0]) {
			log_msg("%s", err);
			return 2;
		}
	}
	return 0;
}

static void warn_setting(void *path, int line, const char *msg)
{
	log_msg("%s:%d: %s (its default instead)", (const char *)path, line, msg);
}

/* The settings file under the command line: what it gave stays. A file
 * named by --config must be readable; the default one may be missing or
 * bad (a warning, then the defaults). */
static int load_settings(struct app *a, struct settings *s, char *err, size_t len)
{
	int e;

	settings_path(a->opt.config, a->settings_path, sizeof(a->settings_path));
	if (!a->settings_path[0])
		return 0;
	if ((e = settings_load(a->settings_path, s, warn_setting, a->settings_path))) {
		snprintf(err, len, "cannot read settings %.400s: %s", a->settings_path,
			 e == -EFBIG ? "larger than 64 KiB" : e == -EINVAL ? "not a regular file"
							     : strerror(-e));
		if (a->opt.config)
			return -1;
		log_msg("%s; the defaults instead", err);
		settings_init(s);
		a->settings_path[0] = '\0'; /* and do not replace it */
		return 0;
	}
	if (!a->opt.given_view && s->pane >= 0)
		a->opt.view = s->pane;
	if (!a->opt.given_theme && s->theme[0])
		a->opt.theme = s->theme;
	if (!a->opt.given_delay && s->delay > 0)
		a->opt.delay = s->delay;
	if (!a->opt.no_mouse && s->mouse == 0)
		a->opt.no_mouse = true;
	return 0;
}

static int start_terminal(struct app *a)
{
	if (!term_start(!a->opt.no_mouse))
		return 0;
	log_msg("cannot start the terminal (TERM=%s)", getenv("TERM"));
	return -1;
}

/* At exit: the file, if the session changed what it holds. */
static void save_settings(struct app *a)
{
	char *now;
	int e;

	if (!a->settings_start)
		return;
	now = app_settings_text(a);
	if (now && strcmp(now, a->settings_start) &&
	    (e = settings_save(a->settings_path, now)))
		log_msg("cannot write settings %s: %s", a->settings_path, strerror(-e));
	free(now);
	free(a->settings_start);
	a->settings_start = NULL;
}

int main(int argc, char **argv)
{
	static struct app a;
	static struct settings settings;
	struct listen_addr la;
	char err[512];
	FILE *out = NULL;
	bool no_tty;
	int rc, err_no;

	/* Each refresh builds and frees the same few MB (snapshots, JSON);
	 * glibc would hand them back to the kernel and fault them in again
	 * every time, which cost two thirds of a refresh at 10,000 sockets. */
	settings_init(&settings);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	setlocale(LC_ALL, "");
	switch (options_parse(argc, argv, &a.opt, stdout, err, sizeof(err))) {
	case PARSE_EXIT:
		return 0;
	case PARSE_USAGE:
		return usage_error(err);
	case PARSE_OK:
		break;
	}
	a.interactive = !a.opt.batch && !a.opt.json && !a.opt.listen && !a.opt.record;
	/* said once the command line is known to be good */
	no_tty = a.interactive && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO));
	if (no_tty) {
		a.interactive = false;
		a.opt.batch = true;
	}
	if (a.interactive && !a.opt.no_config && load_settings(&a, &settings, err, sizeof(err)))
		return usage_error(err);
	if (theme_load(a.opt.theme, err, sizeof(err))) {
		if (a.opt.given_theme)
			return usage_error(err);
		log_msg("settings: %s; the default theme instead", err);
		a.opt.theme = "default";
		theme_load(a.opt.theme, err, sizeof(err));
	}
	a.theme = a.opt.theme;
	if (a.opt.cgroup && !a.opt.replay) { /* validated now; applied once the probes run */
		uint64_t id;

		if (cgroup_resolve(a.opt.cgroup, &id, err, sizeof(err)))
			return usage_error(err);
	}
	if (a.opt.listen && check_listen(&a.opt, &la, err, sizeof(err)))
		return usage_error(err);
	if (no_tty)
		log_msg("not a terminal: printing the %s pane as text (--batch)", pane_name(a.opt.view));
	if (!a.interactive && !a.opt.listen && !a.opt.record &&
	    !(out = open_output(&a.opt, err, sizeof(err))))
		return usage_error(err);
	/* a new file or one to append to; it may be opened as root in a
	 * shared directory, so never through a symlink */
	if (a.opt.record && !(a.recorder = recorder_open(a.opt.record, false, a.opt.record_max,
							 a.opt.record_keep, err, sizeof(err))))
		return usage_error(err);
	a.delay = a.opt.delay;
	a.header = settings.header != 0;
	a.vopts.cmdline = settings.cmdline == 1;
	a.vopts.tree = settings.tree == 1;
	a.vopts.flame_match = a.search;
	a.pane = a.opt.view;
	a.help_ps.sort_col = -1; /* in key-table order, no sort marker */
	for (int p = 0; p < NPANES; p++) {
		a.ps[p].sort_col = panes[p]->default_sort;
		a.ps[p].reverse = settings.reverse[p] >= 0 ? settings.reverse[p] : panes[p]->default_reverse;
		a.ps[p].following = panes[p]->follow_tail;
		snprintf(a.ps[p].sort_name, sizeof(a.ps[p].sort_name), "%s", settings.sort[p]);
		a.ps[p].sort_pending = settings.sort[p][0];
	}
	/* Loading the probes takes a tenth of a second or more (BTF, the
	 * verifier): the screen is drawn first, so ebtop answers at once. A
	 * signal meanwhile waits for the loop, which ends ebtop cleanly; its
	 * default action would leave the terminal as curses set it. */
	if (a.interactive && !a.opt.replay) {
		loop_block_signals(NULL);
		if (start_terminal(&a))
			return 1;
		log_keep(true);
		paint(&a);
	}
	rc = a.opt.replay ? start_replay(&a, err, sizeof(err)) : start_live(&a, &la, err, sizeof(err));
	log_keep(false);
	if (rc) {
		term_stop();
		shut_down(&a);
		return rc;
	}
	if (a.interactive && !a.opt.replay && a.opt.history_s > 0 && !(a.history = replay_live()))
		log_msg("history: out of memory: no rewind");
	app_view_changed(&a);
	if (a.settings_path[0])
		a.settings_start = app_settings_text(&a);
	if (a.opt.npids || a.opt.cgroup) {
		char list[MAX_FILTER_PIDS * 12] = "";
		size_t len = 0;

		for (size_t i = 0; i < a.opt.npids; i++)
			len += snprintf(list + len, sizeof(list) - len, "%s%u", i ? "," : "",
					a.opt.pids[i]);
		rc = 0;
		if (a.opt.npids && (rc = app_set_pids(&a, list, err, sizeof(err))) == 0 &&
		    a.opt.cgroup)
			rc = app_set_cgroup(&a, a.opt.cgroup, err, sizeof(err));
		else if (!a.opt.npids)
			rc = app_set_cgroup(&a, a.opt.cgroup, err, sizeof(err));
		if (rc) {
			term_stop();
			shut_down(&a);
			if (rc != -ENOTSUP)
				return usage_error(err);
			log_msg("%s", err);
			return 1;
		}
	}
	if (a.interactive && a.opt.replay && start_terminal(&a)) {
		shut_down(&a);
		return 1;
	}
	if (a.opt.folded && !(a.folded = folded_new())) {
		shut_down(&a);
		return 1;
	}
	rc = loop_run(&a, out);
	term_stop();
	if (a.folded && (err_no = folded_write(a.folded, a.opt.folded))) {
		log_msg("--folded %s: %s", a.opt.folded, strerror(-err_no));
		rc = 1;
	}
	folded_free(a.folded);
	save_settings(&a);
	model_free(&a.model);
	snapshot_free(&a.snap);
	shut_down(&a);
	if (out && out != stdout)
		fclose(out);
	return rc;
}
