#!/bin/bash
# Services and containers as rows (g): cgroups named after each convention
# (a systemd service, docker, podman and a Kubernetes pod's containerd
# container) under a slice of the test's own, with a spinner, a 50% duty
# cycle worker and two light loads in them. The JSON groups carry the
# names and kinds the README's table gives, each group's CPU is the sum
# of its processes', and the waits are counted per group; so in the
# Prometheus metrics, with the group's name and kind as labels. In tmux, g
# shows the groups; Enter goes into one (only its processes), Backspace
# comes back to the groups, the selection and sort as they were.
. "$(dirname "$0")/lib.sh"

make_cgroup groups || { echo "ok 1 # SKIP no writable cgroup v2 mount"; finish; exit; }
H=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
POD=kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234abcd_5678_90ef.slice
for d in test.slice test.slice/fake-web.service docker-$H.scope libpod-$H.scope \
	kubepods.slice kubepods.slice/kubepods-burstable.slice $POD $POD/cri-containerd-$H.scope; do
	mkdir "$CG/$d" && CGROUPS+=("$CG/$d")
done
duty() { echo "python3 -c 'import time
while True:
    t = time.time()
    while time.time() - t < $1: pass
    time.sleep($2)'"; }
cp /usr/bin/yes "$TMPD/e2e-web"
in_cgroup "$CG/test.slice/fake-web.service" "exec nice -n -20 '$TMPD/e2e-web' >/dev/null"
LOADS+=("$IN_CG_PID")
in_cgroup "$CG/docker-$H.scope" "exec $(duty 0.05 0.05)"
LOADS+=("$IN_CG_PID")
in_cgroup "$CG/libpod-$H.scope" 'while :; do sleep 0.1; done'
LOADS+=("$IN_CG_PID")
in_cgroup "$CG/$POD/cri-containerd-$H.scope" "exec $(duty 0.01 0.05)"
LOADS+=("$IN_CG_PID")
nap 1

"$EBTOP" --json=- -n 3 -c "$CG" >"$TMPD/all.json" 2>"$TMPD/err"
last() { tail -1 "$TMPD/all.json" | jq -r "$1"; }
group() { last ".cpu.groups[] | select(.cgroup | endswith(\"$1\"))"; }
check "3 documents" [ "$(wc -l <"$TMPD/all.json")" -eq 3 ]
check "a systemd service by its unit name" \
	[ "$(group fake-web.service | jq -r '.name + " " + .kind')" = "fake-web.service service" ]
check "a docker container as docker:id12" \
	[ "$(group docker-$H.scope | jq -r '.name + " " + .kind')" = "docker:0123456789ab container" ]
check "a podman container as podman:id12" \
	[ "$(group libpod-$H.scope | jq -r '.name + " " + .kind')" = "podman:0123456789ab container" ]
check "a pod's container with its pod and QoS class" \
	[ "$(group cri-containerd-$H.scope | jq -r '.name + " " + .kind')" = "pod 1234abcd/0123456789ab (burstable) pod" ]
check "each group's CPU is the sum of its processes' (within 0.5)" \
	eval "[ \$(last '[.cpu.groups[] as \$g | ([.cpu.processes[] | select(.cgroup == \$g.cgroup) | .cpu_pct] | add) - \$g.cpu_pct
	| fabs | select(. > 0.5)] | length') -eq 0 ]"
web=$(group fake-web.service | jq -r '.cpu_pct | floor')
worker=$(group docker-$H.scope | jq -r '.cpu_pct | floor')
check "the spinner's service near one CPU ($web%), the worker about half one ($worker%)" \
	[ "$web" -ge 80 -a "$worker" -ge 10 -a "$worker" -le 90 ]
check "waits are counted per group (the worker's)" \
	[ "$(last ".runq.groups[] | select(.cgroup | endswith(\"docker-$H.scope\")) | .count")" -gt 0 ]

# metrics: the service's CPU equals its one process's, in the same scrape
"$EBTOP" --listen 127.0.0.1:0 -c "$CG" -d 0.3 </dev/null 2>"$TMPD/serve.err" &
SERVE=$!
LOADS+=("$SERVE")
for _ in $(seq 100); do
	URL=$(sed -n 's/^ebtop: serving metrics on //p' "$TMPD/serve.err")
	[ -n "$URL" ] && break
	nap 0.1
done
nap 1.5
curl -s "$URL" >"$TMPD/prom.txt"
kill "$SERVE"
value() { awk -v k="$1" 'index($0, k) == 1 { print $NF; exit }' "$TMPD/prom.txt"; }
svc="cgroup=\"/${CG##*/}/test.slice/fake-web.service\""
cg_cpu=$(value "ebtop_cgroup_cpu_seconds_total{$svc,name=\"fake-web.service\",kind=\"service\"}")
proc_cpu=$(grep '^ebtop_cpu_seconds_total{' "$TMPD/prom.txt" | grep -F "$svc}" | awk '{ s += $NF } END { printf "%.9f", s }')
check "metrics: the service's CPU seconds ($cg_cpu), named, equal its process's ($proc_cpu)" \
	awk -v a="$cg_cpu" -v b="$proc_cpu" 'BEGIN { exit !(a > 0 && a - b < 1e-6 && b - a < 1e-6) }'
dock="cgroup=\"/${CG##*/}/docker-$H.scope\",name=\"docker:0123456789ab\",kind=\"container\""
check "metrics: the worker container's waits, in its own histogram" \
	awk -v n="$(value "ebtop_cgroup_runq_latency_seconds_count{$dock}")" \
	-v inf="$(value "ebtop_cgroup_runq_latency_seconds_bucket{$dock,le=\"+Inf\"}")" \
	'BEGIN { exit !(n > 0 && n == inf) }'

start_shell 140 30
type_line "$EBTOP -c $CG --no-config; echo EXIT=\$?"
wait_for 'e2e-web' 10 >/dev/null
tm send-keys g
check "g: a row a group, named" eval "wait_for '^fake-web\\.service +service +1 ' 5 &&
	screen_has '^docker:0123456789ab +container '"
check "the spinner's group on top (sorted by CPU%)" \
	eval "screen | grep -A1 '^GROUP' | tail -1 | grep -q '^fake-web\\.service '"
tm send-keys Home Enter
check "Enter: into the group, only its processes" \
	eval "wait_for '^ +[0-9]+ root .* e2e-web ' 5 && ! screen_has 'python3|sleep|^docker:'"
check "the breadcrumb" screen_has '\| all > fake-web\.service'
tm send-keys BSpace
check "Backspace: the groups again" eval "wait_for '^GROUP ' 5 && ! screen_has 'all > '"
tm send-keys Enter
check "with the selection where it was: Enter goes into the same group" \
	wait_for '\| all > fake-web\.service' 5
tm send-keys BSpace
wait_for '^GROUP ' 5 >/dev/null
tm send-keys g g
check "g g: processes again" wait_for '^ +PID +USER ' 3
tm send-keys q
check "q exits 0" wait_for '^EXIT=0' 5
finish
