// SPDX-License-Identifier: GPL-2.0
/* The floor: an empty program on sys_enter, the least any tracer can add;
 * and one on sys_exit, the least a tracer that sees results can add. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("raw_tp/sys_enter")
int floor_enter(void *ctx)
{
	return 0;
}

SEC("raw_tp/sys_exit")
int floor_exit(void *ctx)
{
	return 0;
}
