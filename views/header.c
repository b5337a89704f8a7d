/* The header above every pane: the machine at a glance (probes/system.h).
 * A line or two of per-CPU meters, or one cell per CPU on a big machine;
 * then load, tasks, uptime, memory, swap and pressure. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "views/view.h"

/* the narrowest meter worth drawing, and the most lines of them */
#define METER_MIN 24
#define METER_LINES 2

static double clamp_pct(double v)
{
	return isfinite(v) ? v < 0 ? 0 : v > 100 ? 100 : v : 0;
}

/* A CPU's shares, in the order the meter draws them. */
static void shares(const struct cpu_share *c, double out[4])
{
	double left = 100;

	out[0] = clamp_pct(c->user);
	out[1] = clamp_pct(c->system);
	out[2] = clamp_pct(c->irq);
	out[3] = clamp_pct(c->steal);
	for (int i = 0; i < 4; i++) { /* never more than the whole CPU */
		out[i] = out[i] < left ? out[i] : left;
		left -= out[i];
	}
}

/* user, system, irq, steal: a colour each and, for a screen without
 * colour, a character each */
static const enum role part_role[4] = { ROLE_BAR, ROLE_WARN, ROLE_HEAT3, ROLE_CRIT };
static const char *const part_utf8[4] = { "█", "▓", "▒", "░" };
static const char part_ascii[4] = { '|', '+', '*', '!' };

/* "0[██▓▒   12.5%]" in width columns */
static void meter(struct pane_model *m, int cpu, int digits, const struct cpu_share *c,
		  int width, bool blocks)
{
	double part[4], total = 0;
	char pct[16];
	int cells, plen;
	long edge[4], filled; /* eighths of a cell where each part ends */

	shares(c, part);
	for (int i = 0; i < 4; i++) {
		total += part[i];
		edge[i] = 0;
	}
	plen = snprintf(pct, sizeof(pct), "%.1f%%", total);
	cells = width - digits - 2 - plen;
	if (cells < 1)
		cells = 1;
	model_seg(m, ROLE_DIM, "%*d[", digits, cpu);
	total = 0;
	for (int i = 0; i < 4; i++) {
		total += part[i];
		edge[i] = lround(total / 100 * cells * 8);
	}
	filled = blocks ? edge[3] : (edge[3] + 4) / 8 * 8;
	for (int x = 0; x < cells; x++) {
		long mid = (long)x * 8 + 4;
		int p = 0;

		while (p < 3 && edge[p] <= mid)
			p++;
		if (filled >= (long)x * 8 + 8)
			blocks ? model_seg(m, part_role[p], "%s", part_utf8[p])
			     : model_seg(m, part_role[p], "%c", part_ascii[p]);
		else if (filled > (long)x * 8)
			model_seg(m, part_role[3 - (edge[3] == edge[2]) - (edge[2] == edge[1]) -
					       (edge[1] == edge[0])],
				  "%s", model_eighths[filled - (long)x * 8]);
		else
			model_seg(m, ROLE_NORMAL, " ");
	}
	model_seg(m, ROLE_NORMAL, "%s", pct);
	model_seg(m, ROLE_DIM, "]");
}

/* one cell a CPU, its height the busy share */
static void cells(struct pane_model *m, const struct system_snap *s, int width, bool blocks)
{
	static const char *const level_utf8[9] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char level_ascii[] = " .:-=+*#%";
	int per_line = width - 5, shown = 0;

	for (int l = 0; l < METER_LINES && shown < s->ncpus; l++) {
		model_line(m);
		model_seg(m, ROLE_DIM, l ? "    " : "CPU ");
		for (int x = 0; x < per_line && shown < s->ncpus; x++, shown++) {
			double part[4], busy = 0;
			int lvl;

			shares(&s->cpu[shown], part);
			for (int i = 0; i < 4; i++)
				busy += part[i];
			lvl = (int)lround(busy / 100 * 8);
			if (blocks)
				model_seg(m, lvl >= 6 ? ROLE_HEAT4 : lvl >= 3 ? ROLE_HEAT2 : ROLE_HEAT1,
					  "%s", level_utf8[lvl]);
			else
				model_seg(m, ROLE_BAR, "%c", level_ascii[lvl]);
		}
	}
	if (shown < s->ncpus)
		model_seg(m, ROLE_DIM, " +%d", s->ncpus - shown);
}

static void uptime(char *buf, size_t len, double secs)
{
	long s = isfinite(secs) && secs > 0 && secs < 1e10 ? (long)secs : 0;

	if (s >= 86400)
		snprintf(buf, len, "%ldd %02ld:%02ld", s / 86400, s / 3600 % 24, s / 60 % 60);
	else
		snprintf(buf, len, "%02ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

static void used_of(char *buf, size_t len, uint64_t total_kb, uint64_t free_kb)
{
	char u[16], t[16];

	fmt_bytes(u, sizeof(u), (double)(total_kb > free_kb ? total_kb - free_kb : 0) * 1024);
	fmt_bytes(t, sizeof(t), (double)total_kb * 1024);
	snprintf(buf, len, "%s/%s", u, t);
}

static void figures(struct pane_model *m, const struct system_snap *s, int width)
{
	char up[32], mem[40], swap[40];

	uptime(up, sizeof(up), s->uptime_s);
	used_of(mem, sizeof(mem), s->mem_total_kb, s->mem_avail_kb);
	used_of(swap, sizeof(swap), s->swap_total_kb, s->swap_free_kb);
	model_line(m);
	model_seg(m, ROLE_DIM, "Load ");
	model_seg(m, ROLE_NORMAL, "%.2f %.2f %.2f", s->load[0], s->load[1], s->load[2]);
	model_seg(m, ROLE_DIM, "  Tasks ");
	model_seg(m, ROLE_NORMAL, "%u/%u", s->running, s->tasks);
	model_seg(m, ROLE_DIM, "  Up ");
	model_seg(m, ROLE_NORMAL, "%s", up);
	if (width < 110) /* the rest on a line of its own */
		model_line(m);
	else
		model_seg(m, ROLE_NORMAL, "  ");
	model_seg(m, ROLE_DIM, "Mem ");
	model_seg(m, ROLE_NORMAL, "%s", mem);
	model_seg(m, ROLE_DIM, "  Swap ");
	model_seg(m, ROLE_NORMAL, "%s", swap);
	if (s->psi[0] >= 0 || s->psi[1] >= 0 || s->psi[2] >= 0) {
		static const char *const name[3] = { "cpu", "mem", "io" };

		model_seg(m, ROLE_DIM, "  PSI");
		for (int i = 0; i < 3; i++)
			if (s->psi[i] >= 0)
				model_seg(m, s->psi[i] >= 10 ? ROLE_WARN : ROLE_NORMAL, " %s %.1f%%",
					  name[i], s->psi[i]);
	}
}

void header_build(const struct system_snap *s, int width, bool blocks, struct pane_model *m)
{
	int digits = snprintf(NULL, 0, "%d", s->ncpus > 1 ? s->ncpus - 1 : 0);
	int per_line = width / METER_MIN, lines;

	model_init(m, NULL, 0, -1);
	if (!s->have)
		return;
	if (per_line < 1)
		per_line = 1;
	lines = (s->ncpus + per_line - 1) / per_line;
	if (lines > METER_LINES) {
		cells(m, s, width, blocks);
	} else {
		int w;

		per_line = (s->ncpus + lines - 1) / lines; /* as many on each line */
		w = width / per_line;

		for (int c = 0; c < s->ncpus; c++) {
			int col = c % per_line;
			bool last = col == per_line - 1 || c == s->ncpus - 1;

			if (!col)
				model_line(m);
			else
				model_seg(m, ROLE_NORMAL, " ");
			/* a space between meters; the last takes what division left */
			meter(m, c, digits, &s->cpu[c], last ? width - col * w : w - 1, blocks);
		}
	}
	figures(m, s, width);
}

cJSON *header_json(const struct system_snap *s)
{
	cJSON *o = cJSON_CreateObject(), *cpus = cJSON_AddArrayToObject(o, "cpus"), *load, *psi;
	static const char *const psi_name[3] = { "cpu", "memory", "io" };

	for (int c = 0; c < s->ncpus && c < SYSTEM_MAX_CPUS; c++) {
		cJSON *cpu = cJSON_CreateObject();

		json_num(cpu, "user", s->cpu[c].user);
		json_num(cpu, "system", s->cpu[c].system);
		json_num(cpu, "irq", s->cpu[c].irq);
		json_num(cpu, "steal", s->cpu[c].steal);
		cJSON_AddItemToArray(cpus, cpu);
	}
	load = cJSON_AddArrayToObject(o, "load");
	for (int i = 0; i < 3; i++)
		cJSON_AddItemToArray(load, cJSON_CreateNumber(s->load[i]));
	json_num(o, "tasks_running", s->running);
	json_num(o, "tasks", s->tasks);
	json_num(o, "mem_total_kb", s->mem_total_kb);
	json_num(o, "mem_available_kb", s->mem_avail_kb);
	json_num(o, "swap_total_kb", s->swap_total_kb);
	json_num(o, "swap_free_kb", s->swap_free_kb);
	json_num(o, "uptime_s", s->uptime_s);
	psi = cJSON_AddObjectToObject(o, "psi_some_avg10");
	for (int i = 0; i < 3; i++)
		if (s->psi[i] >= 0)
			json_num(psi, psi_name[i], s->psi[i]);
		else
			cJSON_AddNullToObject(psi, psi_name[i]);
	return o;
}

void header_parse(const cJSON *o, struct system_snap *s)
{
	static const char *const psi_name[3] = { "cpu", "memory", "io" };
	const cJSON *it, *psi = cJSON_GetObjectItem(o, "psi_some_avg10");
	int i = 0;

	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(o))
		return;
	cJSON_ArrayForEach(it, json_get_array(o, "cpus")) {
		if (s->ncpus == SYSTEM_MAX_CPUS)
			break;
		s->cpu[s->ncpus].user = clamp_pct(json_get_num(it, "user"));
		s->cpu[s->ncpus].system = clamp_pct(json_get_num(it, "system"));
		s->cpu[s->ncpus].irq = clamp_pct(json_get_num(it, "irq"));
		s->cpu[s->ncpus].steal = clamp_pct(json_get_num(it, "steal"));
		s->ncpus++;
	}
	cJSON_ArrayForEach(it, json_get_array(o, "load"))
		if (i < 3 && cJSON_IsNumber(it))
			s->load[i++] = fmin(fmax(it->valuedouble, 0), 1e6);
	s->running = json_get_u32(o, "tasks_running");
	s->tasks = json_get_u32(o, "tasks");
	s->mem_total_kb = json_get_u64(o, "mem_total_kb");
	s->mem_avail_kb = json_get_u64(o, "mem_available_kb");
	s->swap_total_kb = json_get_u64(o, "swap_total_kb");
	s->swap_free_kb = json_get_u64(o, "swap_free_kb");
	s->uptime_s = json_get_num(o, "uptime_s");
	for (i = 0; i < 3; i++) {
		const cJSON *v = cJSON_GetObjectItem(psi, psi_name[i]);

		s->psi[i] = cJSON_IsNumber(v) ? fmin(fmax(v->valuedouble, 0), 100) : -1;
	}
	s->have = s->ncpus > 0;
}
