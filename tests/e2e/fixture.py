#!/usr/bin/env python3
"""A fixture recording for the UI tests: FRAMES refreshes, 1 s apart from
2026-12-01 10:00:00 UTC, of a made-up busy box, as the JSON lines --json
writes. Every value is a function of the frame number, so a test knows
each row on screen. Usage: fixture.py OUT [FRAMES]"""
import json
import sys

T0 = 1796119200  # 2026-12-01T10:00:00Z
HOT, NEEDLE, WIDE = 4242, 4300, 4301
# the recorded machine's names, which the reader's /etc/passwd must not replace
USERS = {0: "root", 33: "www-data", 1000: "alice-the-longest-name", 65534: "nobody"}


def iso(sec, ms=0):
    from datetime import datetime, timezone
    t = datetime.fromtimestamp(sec, timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % ms


def le(us):
    """The upper bound of the log-linear bucket us lies in (bpf/hist.h:
    exact below 16 us, then 8 sub-buckets per power of two)."""
    if us < 16:
        return us + 1
    p = us.bit_length() - 1
    step = 1 << (p - 3)
    return (us // step + 1) * step


def processes(i):
    rows = [
        dict(pid=HOT, comm="fx-hot", uid=0, threads=4, cpu_pct=90 + i * 0.5,
             cgroup="/system.slice/fx-hot.service",
             cmdline="/usr/sbin/fx-hot --workers=4 --listen 0.0.0.0:443",
             trend=[90 + j * 0.5 for j in range(max(0, i - 7), i + 1)]),
        dict(pid=NEEDLE, comm="fx-needle", uid=1000, threads=1, cpu_pct=0.1, ppid=HOT,
             cgroup="/user.slice/user-1000.slice/session-3.scope"),
        dict(pid=WIDE, comm="fx-\u00e9l\u00e8ve", uid=65534, threads=1, cpu_pct=0.2,
             cgroup="/system.slice/docker-0123456789abcdef0123456789abcdef.scope"),
    ]
    for k in range(30):
        rows.append(dict(pid=2000 + k, comm="fx-web-%02d" % k, uid=33, threads=2,
                         ppid=2000 if k else 1,
                         cpu_pct=round(40 - k * 1.25, 2),
                         cgroup="/system.slice/fx-web.service"))
    for r in rows:
        r["oncpu_ns"] = int(r["cpu_pct"] * 1e7)
        if r["pid"] != HOT:  # its share is the same every frame
            r["trend"] = [r["cpu_pct"]] * min(i + 1, 8)
        r["user"] = USERS[r["uid"]]
    return rows


def threads(i):
    """fx-hot's four threads (its main one and three workers) and fx-web-00's
    two; each worker's CPU and waits differ, so each row is known."""
    rows = [dict(pid=HOT, tid=HOT, comm="fx-hot", cpu_pct=0.5, waits=2, wait_ns=4000)]
    for k in range(3):
        rows.append(dict(pid=HOT, tid=HOT + 1 + k, comm="fx-worker-%d" % k, cpu_pct=30 - 5 * k,
                         waits=10 * (k + 1), wait_ns=(k + 1) * 2000000))
    rows += [dict(pid=2000, tid=2000, comm="fx-web-00", cpu_pct=20, waits=4, wait_ns=8000),
             dict(pid=2000, tid=2100, comm="fx-web-io", cpu_pct=20, waits=1, wait_ns=1000)]
    for r in rows:
        r["oncpu_ns"] = int(r["cpu_pct"] * 1e7)
    return rows


def runq(i):
    procs = []
    total = {}
    for k, (pid, comm) in enumerate([(HOT, "fx-hot"), (2000, "fx-web-00"), (2001, "fx-web-01")]):
        waits = {le(5 + k): 10 + i, le(300 * (k + 1)): 5, le(4000 * (k + 1)): 1}
        for b, c in waits.items():
            total[b] = total.get(b, 0) + c
        procs.append(dict(pid=pid, comm=comm, count=sum(waits.values()),
                          p50_us=5 + k, p99_us=4000 * (k + 1), p999_us=4100 * (k + 1),
                          max_us=max(waits), slow=[1, 2, 0][k],
                          buckets=[dict(le_us=b, count=c) for b, c in sorted(waits.items())]))
    # fx-hot made the web workers wait; they delayed it and each other a little
    def delay(c, cc, v, vc, ms, waits, worst_us):
        return dict(culprit=c, culprit_comm=cc, victim=v, victim_comm=vc, caused_ns=ms * 10**6,
                    waits=waits, worst_us=worst_us)
    delays = [delay(HOT, "fx-hot", 2000, "fx-web-00", 30, 12, 8000),
              delay(HOT, "fx-hot", 2001, "fx-web-01", 20, 8, 6000),
              delay(2000, "fx-web-00", HOT, "fx-hot", 5, 3, 2000),
              delay(2001, "fx-web-01", 2000, "fx-web-00", 1, 2, 900)]
    return dict(count=sum(total.values()), p50_us=6, p90_us=600, p99_us=8000,
                max_us=max(total),
                buckets=[dict(le_us=b, count=c) for b, c in sorted(total.items())],
                processes=procs, slow_us=1000, delays_lost=0, delays=delays)


def sys_(i):
    names = ["read", "write", "futex", "epoll_wait", "openat", "close", "mmap", "recvfrom"]
    calls = [dict(nr=n, name=name, count=(8 - n) * 1000 + i, per_s=(8 - n) * 1000 + i,
                  errors=7 if name == "openat" else 0) for n, name in enumerate(names)]
    procs = [dict(pid=HOT, comm="fx-hot", count=20000 + i, per_s=20000 + i, errors=0),
             dict(pid=2000, comm="fx-web-00", count=900, per_s=900, errors=7)]
    return dict(collecting=True, total_per_s=sum(c["per_s"] for c in calls),
                syscalls=calls, processes=procs)


def tcp(i):
    def conn(pid, comm, fam, sa, sp, da, dp, state, tx, rx, srtt=0, retrans_per_s=0):
        return dict(pid=pid, comm=comm, family=fam, saddr=sa, sport=sp, daddr=da, dport=dp,
                    state=state, tx_bytes=tx, rx_bytes=rx, tx_per_s=tx / 10, rx_per_s=rx / 10,
                    uid=0, preexisting=False, states=["SYN_SENT", state], srtt_us=srtt,
                    rttvar_us=srtt // 4, cwnd=10, retrans=3 * i, retrans_per_s=retrans_per_s,
                    **({"connect_ms": 0.8} if state != "LISTEN" else {}))
    conns = [
        conn(HOT, "fx-hot", "ipv4", "10.0.0.5", 443, "10.0.0.9", 51000, "ESTABLISHED",
             (1 << 20) * (i + 1), 4096 * (i + 1), srtt=1500, retrans_per_s=3),
        conn(2000, "fx-web-00", "ipv6", "2001:db8::5", 8080, "2001:db8::77", 40000,
             "ESTABLISHED", 65536, 1 << 20, srtt=250),
        conn(2000, "fx-web-00", "ipv4", "0.0.0.0", 8080, "0.0.0.0", 0, "LISTEN", 0, 0),
    ]
    # fx-hot cannot reach its database: a connect refused every frame
    closed = [dict(pid=HOT, comm="fx-hot", family="ipv4", saddr="10.0.0.5", sport=50000 + i,
                   daddr="10.0.0.99", dport=5432, state="CLOSE", states=["SYN_SENT", "CLOSE"],
                   tx_bytes=0, rx_bytes=0, uid=0, preexisting=False, failed=True,
                   error="refused", reset="received", duration_ms=1, closed_at=iso(T0 + i, 500))]
    procs = [dict(pid=HOT, comm="fx-hot", connections=1, tx_per_s=conns[0]["tx_per_s"],
                  rx_per_s=conns[0]["rx_per_s"], retrans_per_s=3, connects=1, failed_connects=1),
             dict(pid=2000, comm="fx-web-00", connections=1, tx_per_s=conns[1]["tx_per_s"],
                  rx_per_s=conns[1]["rx_per_s"], retrans_per_s=0, connects=0, failed_connects=0)]
    return dict(lost=0, lost_total=0, closed_total=i, connections=conns, closed=closed,
                processes=procs)


def execs(i):
    return dict(lost=0, lost_total=0, dropped=0, events=[
        dict(time=iso(T0 + i - 1, 100 * j + 50), pid=5000 + 2 * i + j, ppid=HOT, uid=0,
             comm="fx-job", filename="/usr/bin/fx-job",
             argv=["/usr/bin/fx-job", "fx-job-%d-%d" % (i, j)], truncated=False, ret=0,
             **({"user": "root"} if j == 0 else {}))
        for j in range(2)])


def stack(i):
    """fx-hot: 60 samples in hot_a, 20 in hot_b's write() in the kernel;
    fx-web-00: 20 in parse_json. 100 in all, every frame but the third."""
    serve = ["_start", "main", "fx_serve"]
    rows = [(HOT, "fx-hot", serve + ["hot_a"], 60),
            (HOT, "fx-hot", serve + ["hot_b", "write", "entry_SYSCALL_64_[k]", "ksys_write_[k]"], 20),
            (2000, "fx-web-00", ["_start", "main", "fx_loop", "parse_json"], 20)]
    if i == 2:  # the third frame is off-CPU: 1.5 s blocked in fx-hot's poll
        return dict(mode="offcpu", collecting=True, min_us=1000, samples=3, lost=0, others=0,
                    total=2 * 10**9, stacks=[
                        dict(pid=HOT, comm="fx-hot", frames=serve + ["poll", "do_sys_poll_[k]"],
                             ns=15 * 10**8),
                        dict(pid=2000, comm="fx-web-00", frames=["_start", "main", "fx_loop", "read"],
                             ns=5 * 10**8)])
    return dict(mode="oncpu", collecting=True, hz=49, samples=100, lost=0, others=0, total=100,
                stacks=[dict(pid=p, comm=c, frames=f, count=n) for p, c, f, n in rows])


def system(i):
    """Four CPUs: 0 half user, a quarter system; 1 all user; 2 idle; 3
    a tenth each of irq and steal."""
    cpus = [dict(user=50, system=25, irq=0, steal=0), dict(user=100, system=0, irq=0, steal=0),
            dict(user=0, system=0, irq=0, steal=0), dict(user=0, system=0, irq=10, steal=10)]
    return dict(cpus=cpus, load=[1.5, 0.75, 0.25], tasks_running=3, tasks=250 + i,
                mem_total_kb=4 << 20, mem_available_kb=3 << 20, swap_total_kb=1 << 20,
                swap_free_kb=1 << 20, uptime_s=2 * 86400 + 3 * 3600 + 4 * 60 + i,
                psi_some_avg10=dict(cpu=12.5, memory=0, io=None))


def frame(i):
    return dict(schema="ebtop/1", host="fixture", kernel="6.18.0", time=iso(T0 + i),
                interval_s=1.0, filter=dict(pids=[], cgroup=None), view="cpu", system=system(i),
                cpu=dict(ncpus=16, idle_ns=int(8.5e9), interval_s=1.0, processes=processes(i),
                         threads=threads(i)),
                runq=runq(i), sys=sys_(i), tcp=tcp(i), exec=execs(i), stack=stack(i))


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with open(out, "w") as f:
        for i in range(n):
            f.write(json.dumps(frame(i), separators=(",", ":")) + "\n")


main()
