/* SPDX-License-Identifier: GPL-2.0 */
/* What every ring-buffer probe shares: a per-CPU count of records the ring
 * had no room for (userspace shows it as `lost`), and batched wakeups. */
#ifndef EBTOP_EVENTS_BPF_H
#define EBTOP_EVENTS_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);

	if (n)
		*n += 1;
}

/* Wake the reader only once the ring is a quarter full; the refresh timer
 * drains the rest, so a busy ring costs one wakeup per quarter, not one
 * per record. */
static __always_inline __u64 wakeup_flags(void *ring)
{
	if (bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA) > bpf_ringbuf_query(ring, BPF_RB_RING_SIZE) / 4)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

#endif
