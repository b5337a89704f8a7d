/* ebtop's own cost: lines for the help screen, and "self" in a document. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "views/view.h"

void self_lines(const struct self_snap *s, bool live, struct pane_model *m)
{
	char cpu[16], rss[16], maps[16];

	model_line(m);
	model_seg(m, ROLE_TITLE, "ebtop's own cost");
	if (!s->have || !s->rates) {
		model_seg(m, ROLE_DIM, !live ? ": not in the recording"
				   : s->have ? ": measured from this refresh to the next"
					     : ": read from the next refresh");
		return;
	}
	fmt_bytes(rss, sizeof(rss), (double)s->rss_bytes);
	fmt_bytes(maps, sizeof(maps), (double)s->map_bytes);
	snprintf(cpu, sizeof(cpu), "%.2f ms", s->cpu_ms);
	model_seg(m, ROLE_NORMAL, ": CPU %s/refresh, RSS %s, BPF maps %s, ", cpu, rss, maps);
	model_seg(m, s->lost ? ROLE_WARN : ROLE_NORMAL, "%llu lost", (unsigned long long)s->lost);
	if (!s->bpf_stats) {
		model_line(m);
		model_seg(m, ROLE_DIM, "BPF time per probe: off (ebtop --self turns the kernel's BPF stats on)");
		return;
	}
	model_line(m);
	model_seg(m, ROLE_HEADER, "%-8s %12s %12s %10s", "PROBE", "BPF TIME/s", "RUNS/s", "PER RUN");
	for (size_t i = 0; i < s->nprobes; i++) {
		const struct self_probe *p = &s->probe[i];
		char t[16], each[16], runs[16];

		fmt_duration_ns(t, sizeof(t), p->ns_per_s);
		fmt_count(runs, sizeof(runs), p->runs_per_s);
		if (p->runs_per_s > 0)
			fmt_duration_ns(each, sizeof(each), p->ns_per_s / p->runs_per_s);
		else
			snprintf(each, sizeof(each), "-");
		model_line(m);
		model_seg(m, ROLE_NORMAL, "%-8s %12s %12s %10s", p->name, t, runs, each);
	}
}

cJSON *self_json(const struct self_snap *s)
{
	cJSON *o = cJSON_CreateObject(), *probes;

	cJSON_AddBoolToObject(o, "bpf_stats", s->bpf_stats);
	json_num(o, "cpu_ms_per_refresh", s->cpu_ms);
	json_num(o, "cpu_s", s->cpu_s);
	json_num(o, "rss_bytes", (double)s->rss_bytes);
	json_num(o, "map_bytes", (double)s->map_bytes);
	json_num(o, "lost", (double)s->lost);
	probes = cJSON_AddArrayToObject(o, "probes");
	for (size_t i = 0; i < s->nprobes; i++) {
		cJSON *p = cJSON_CreateObject();

		json_str(p, "probe", s->probe[i].name);
		json_num(p, "bpf_ns_per_s", s->probe[i].ns_per_s);
		json_num(p, "events_per_s", s->probe[i].runs_per_s);
		json_num(p, "bpf_ns", (double)s->probe[i].run_ns);
		json_num(p, "events", (double)s->probe[i].runs);
		cJSON_AddItemToArray(probes, p);
	}
	return o;
}

void self_parse(const cJSON *o, struct self_snap *s)
{
	const cJSON *it;

	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(o))
		return;
	s->have = s->rates = true;
	s->bpf_stats = cJSON_IsTrue(cJSON_GetObjectItem(o, "bpf_stats"));
	s->cpu_ms = fmax(json_get_num(o, "cpu_ms_per_refresh"), 0);
	s->cpu_s = fmax(json_get_num(o, "cpu_s"), 0);
	s->rss_bytes = json_get_u64(o, "rss_bytes");
	s->map_bytes = json_get_u64(o, "map_bytes");
	s->lost = json_get_u64(o, "lost");
	cJSON_ArrayForEach(it, json_get_array(o, "probes")) {
		struct self_probe *p;

		if (s->nprobes == SELF_MAX_PROBES)
			break;
		p = &s->probe[s->nprobes++];
		json_get_text(it, "probe", p->name, sizeof(p->name));
		p->ns_per_s = fmax(json_get_num(it, "bpf_ns_per_s"), 0);
		p->runs_per_s = fmax(json_get_num(it, "events_per_s"), 0);
		p->run_ns = json_get_u64(it, "bpf_ns");
		p->runs = json_get_u64(it, "events");
	}
}
