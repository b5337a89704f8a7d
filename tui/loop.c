/* The one event loop: epoll over a timerfd (refresh), a signalfd (INT, TERM,
 * HUP) and, when interactive, stdin. Headless modes share it and write one
 * text frame or JSON document per refresh. */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include "probes/frame.h"
#include "tui/input.h"
#include "tui/keys.h"
#include "tui/log.h"
#include "tui/folded.h"
#include "tui/loop.h"
#include "tui/mouse.h"
#include "tui/paint.h"
#include "tui/prompt.h"
#include "tui/recorder.h"
#include "tui/replay.h"
#include "tui/sigmenu.h"
#include "views/metrics.h"
#include "tui/serve.h"
#include "views/view.h"

enum { EV_TIMER, EV_SIGNAL, EV_STDIN, EV_HTTP, EV_PROBE }; /* EV_PROBE + slot */

static struct timespec timespec_of(double secs)
{
	struct timespec t = { (time_t)secs, (long)((secs - (time_t)secs) * 1e9) };

	if (!t.tv_sec && !t.tv_nsec)
		t.tv_nsec = 1;
	return t;
}

/* Every secs, the first after first. */
static int arm_timer_first(int fd, double first, double secs)
{
	struct itimerspec it = { .it_interval = timespec_of(secs), .it_value = timespec_of(first) };

	return timerfd_settime(fd, 0, &it, NULL);
}

static int arm_timer(int fd, double secs)
{
	return arm_timer_first(fd, secs, secs);
}

static int watch(int ep, int fd, int tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int write_batch(struct app *a, FILE *out)
{
	struct pane_model m;
	char when[32];
	time_t t = a->snap.wall.tv_sec;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	fprintf(out, "ebtop %s - %s pane, interval %.2fs\n", when, pane_name(a->opt.view),
		a->snap.interval_s);
	pane_build(a->opt.view, &a->snap, &a->vopts, &m);
	if (m.table.ncol)
		table_sort(&m.table, panes[a->opt.view]->default_sort,
			   panes[a->opt.view]->default_reverse);
	model_print(&m, out, 120);
	model_free(&m);
	fputc('\n', out);
	return fflush(out) ? -errno : 0;
}

/* The "ebtop/1" document of snapshot s (malloc'd), or NULL. */
static char *doc_text(struct app *a, const struct snapshot *s)
{
	struct json_meta meta;
	cJSON *doc;
	char *text;

	app_json_meta(a, &meta);
	doc = json_snapshot(s, &meta);
	text = json_print(doc);
	cJSON_Delete(doc);
	return text;
}

static int write_line(FILE *out, char *text)
{
	if (!text)
		return -ENOMEM;
	fputs(text, out);
	fputc('\n', out);
	free(text);
	return fflush(out) ? -errno : 0;
}

static uint64_t wall_ns(const struct snapshot *s)
{
	return s->wall.tv_sec * 1000000000ull + s->wall.tv_nsec;
}

/* --record and R: the document as one frame. */
static int write_frame(struct app *a, const char *text, uint64_t ns)
{
	return text ? recorder_write(a->recorder, text, strlen(text), ns) : -ENOMEM;
}

/* Live rewind keeps every refresh, compressed, for --history. */
#define HISTORY_MAX_BYTES (64u << 20)

/* An interactive refresh goes into the history (rewind) and, while R
 * records, to the file. A frame's execs are those of its own interval; a
 * rewind or a replay adds up the rest. */
static void remember(struct app *a, const struct snapshot *s)
{
	char *text = doc_text(a, s);
	int err;

	if (a->history) {
		err = text ? replay_append(a->history, text, strlen(text), wall_ns(s),
					   (uint64_t)(a->opt.history_s * 1e9), HISTORY_MAX_BYTES)
			   : -ENOMEM;
		if (err)
			log_msg("history: %s", strerror(-err));
	}
	if (a->recorder && (err = write_frame(a, text, wall_ns(s)))) {
		log_msg("recording stopped: %s: %s", recorder_path(a->recorder), strerror(-err));
		recorder_close(a->recorder);
		a->recorder = NULL;
	}
	free(text);
}

/* --record and SIGHUP: logrotate moved the file; write on in a new one. */
static void reopen_record(struct app *a)
{
	int err = recorder_reopen(a->recorder);

	if (err)
		log_msg("cannot reopen %s: %s; recording stops", recorder_path(a->recorder),
			strerror(-err));
	else
		log_msg("SIGHUP: reopened %s", recorder_path(a->recorder));
	if (err)
		a->quit = true;
}

/* Replay: headless, emit the next frame as recorded (--json) or as text;
 * interactive and playing, show the next frame. */
static int replay_tick(struct app *a, FILE *out)
{
	size_t n = replay_frames(a->replay), len;

	if (!a->interactive) {
		int err = 0;

		if (a->frame >= n || replay_time_ns(a->replay, a->frame) > a->replay_to) {
			a->quit = true;
			return 0;
		}
		if (a->opt.json && app_replay_filtered(a)) { /* the rows the filter keeps */
			if ((app_replay_show(a, a->frame) & R_REBUILD))
				err = write_line(out, doc_text(a, &a->snap));
		} else if (a->opt.json) {
			char *doc = replay_doc(a->replay, a->frame, &len);

			if (doc)
				err = write_line(out, doc);
			else if (errno != EBADMSG) /* a damaged frame is skipped, counted */
				err = -errno;
		} else if ((app_replay_show(a, a->frame) & R_REBUILD)) {
			err = write_batch(a, out);
		}
		a->frame++;
		return err;
	}
	if (!a->playing)
		return 0;
	if (a->frame + 1 >= n) {
		a->playing = false;
		log_msg("replay: the end of the recording");
		return 0;
	}
	app_replay_show(a, (long)a->frame + 1);
	return 0;
}

/* How long until the next tick: the refresh interval, or in a replay the
 * recorded gap to the next frame at the chosen speed. */
static double period(const struct app *a)
{
	double gap;

	if (!a->replay)
		return a->delay;
	if (!a->interactive)
		return 1e-9;
	if (!a->playing || a->frame + 1 >= replay_frames(a->replay))
		return a->delay;
	gap = (replay_time_ns(a->replay, a->frame + 1) - (double)replay_time_ns(a->replay, a->frame)) /
	      1e9 / a->speed;
	return gap < 0.02 ? 0.02 : gap > 10 ? 10 : gap;
}

/* One refresh: collect; show it unless paused (collection goes on so
 * baselines stay current); write headless output. */
static int tick(struct app *a, FILE *out)
{
	struct snapshot fresh;
	int err;

	if (a->replay)
		return replay_tick(a, out);
	memset(&fresh, 0, sizeof(fresh));
	collector_collect(a->col, &fresh);
	if (a->metrics && (err = metrics_add(a->metrics, &fresh)))
		log_msg("metrics: %s", strerror(-err));
	if (a->folded && !fresh.baseline && (err = folded_add(a->folded, &fresh.stack)))
		log_msg("--folded: %s", strerror(-err));
	if (a->interactive && !fresh.baseline && (a->history || a->recorder))
		remember(a, &fresh);
	if (fresh.baseline || (a->paused && a->interactive) || a->rewound) {
		snapshot_free(&fresh);
		return 0;
	}
	snapshot_free(&a->snap);
	a->snap = fresh;
	a->have_snap = true;
	a->ticks++;
	if (!a->interactive && !a->server) {
		if (a->opt.record) {
			char *text = doc_text(a, &a->snap);

			err = write_frame(a, text, wall_ns(&a->snap));
			free(text);
		} else {
			err = a->opt.json ? write_line(out, doc_text(a, &a->snap)) : write_batch(a, out);
		}
		if (err)
			return err;
	}
	if (a->opt.iterations && a->ticks >= a->opt.iterations)
		a->quit = true;
	return 0;
}

/* Rebuild what is on screen (help or the pane) and draw it. */
static void rebuild(struct app *a)
{
	if (a->help) {
		model_free(&a->model);
		keys_help(&a->model);
		self_lines(&a->snap.self, !a->replay, &a->model);
	} else {
		app_rebuild(a);
	}
}

static void show(struct app *a)
{
	rebuild(a);
	paint(a);
}

static void handle_keys(struct app *a, int timer_fd)
{
	int ch, r = R_NONE;

	while ((ch = input_key()) != ERR) {
		if (ch == KEY_RESIZE)
			r |= R_REBUILD;
		else if (a->prompt != PROMPT_NONE)
			r |= prompt_key(a, ch);
		else if (a->sigmenu.confirm)
			r |= sigmenu_key(a, ch);
		else if (a->menu.open)
			r |= menu_key(a, &a->menu, ch);
		else {
			log_clear();
			r |= ch == INPUT_MOUSE ? mouse_handle(a, input_mouse()) : keys_handle(a, ch);
		}
		if (a->quit)
			return;
		/* the keys typed after this one act on what it changed */
		if ((r & R_REBUILD) && a->prompt == PROMPT_NONE) {
			rebuild(a);
			r = (r & ~R_REBUILD) | R_REDRAW;
		}
	}
	if (r & R_TIMER)
		arm_timer(timer_fd, period(a));
	if (r & R_REBUILD)
		show(a);
	else if (r)
		paint(a);
}

#define FIRST_INTERVAL 0.2

/* At start and after a filter change the old baselines are gone: take a
 * new one now so the next refresh shows an interval all under the new
 * filter. */
static void rebaseline(struct app *a, int timer_fd)
{
	struct snapshot s;

	if (a->col) {
		memset(&s, 0, sizeof(s));
		collector_collect(a->col, &s);
		snapshot_free(&s);
	}
	/* on screen, a first short interval: a blank screen for a whole
	 * refresh looks like a hang */
	if (a->interactive && !a->replay && period(a) > FIRST_INTERVAL)
		arm_timer_first(timer_fd, FIRST_INTERVAL, period(a));
	else
		arm_timer(timer_fd, period(a));
}

void loop_block_signals(sigset_t *mask)
{
	sigset_t m;

	if (!mask)
		mask = &m;
	sigemptyset(mask);
	sigaddset(mask, SIGINT);
	sigaddset(mask, SIGTERM);
	sigaddset(mask, SIGHUP);
	sigprocmask(SIG_BLOCK, mask, NULL);
	signal(SIGPIPE, SIG_IGN); /* a write then fails with EPIPE, which ends ebtop */
}

int loop_run(struct app *a, FILE *out)
{
	struct epoll_event ev[8];
	sigset_t mask;
	int ep, sfd, tfd, err = 0, fds[16];
	size_t nfds;

	loop_block_signals(&mask);
	ep = epoll_create1(EPOLL_CLOEXEC);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (ep < 0 || sfd < 0 || tfd < 0 || watch(ep, sfd, EV_SIGNAL) || watch(ep, tfd, EV_TIMER) ||
	    (a->interactive && watch(ep, STDIN_FILENO, EV_STDIN)) ||
	    (a->server && watch(ep, server_fd(a->server), EV_HTTP)) || arm_timer(tfd, a->delay)) {
		log_msg("event loop setup failed: %s", strerror(errno));
		return 1;
	}
	nfds = a->col ? collector_fds(a->col, fds, 16) : 0;
	for (size_t i = 0; i < nfds; i++)
		if (fds[i] >= 0 && watch(ep, fds[i], EV_PROBE + i)) {
			log_msg("event loop setup failed: %s", strerror(errno));
			return 1;
		}
	rebaseline(a, tfd);
	if (a->interactive)
		show(a);
	while (!a->quit && !err) {
		int n = epoll_wait(ep, ev, 8, -1);

		if (n < 0) {
			if (errno != EINTR)
				break;
			if (a->interactive) /* SIGWINCH: ncurses queues KEY_RESIZE */
				handle_keys(a, tfd);
			continue;
		}
		for (int i = 0; i < n && !a->quit; i++) {
			uint64_t ticks;
			struct signalfd_siginfo si;

			switch (ev[i].data.u32) {
			case EV_TIMER:
				if (read(tfd, &ticks, sizeof(ticks)) < 0)
					break;
				err = tick(a, out);
				if (a->replay)
					arm_timer(tfd, period(a));
				if (a->interactive)
					show(a);
				if (a->server) /* its timeouts */
					server_run(a->server);
				break;
			case EV_HTTP:
				server_run(a->server);
				break;
			case EV_SIGNAL:
				if (read(sfd, &si, sizeof(si)) != sizeof(si))
					break;
				if (si.ssi_signo == SIGHUP && a->opt.record) {
					reopen_record(a);
					break;
				}
				a->quit = true;
				/* --json and --record promise every exec once: flush
				 * the partial interval */
				if ((a->opt.json || a->opt.record) && !a->replay)
					err = tick(a, out);
				break;
			default: /* a probe's ring buffer: drain now, show at the next refresh */
				collector_drain(a->col, ev[i].data.u32 - EV_PROBE);
				break;
			case EV_STDIN:
				if (ev[i].events & (EPOLLHUP | EPOLLERR)) {
					a->quit = true; /* the terminal went away */
					break;
				}
				handle_keys(a, tfd);
				if (!a->have_snap && !a->quit && !a->replay)
					rebaseline(a, tfd);
				break;
			}
		}
	}
	close(tfd);
	close(sfd);
	close(ep);
	if (err == -EPIPE)
		return 0; /* the reader went away: a normal end for a pipeline */
	if (err) {
		log_msg("writing output: %s", strerror(-err));
		return 1;
	}
	return 0;
}
