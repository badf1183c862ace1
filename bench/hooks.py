#!/usr/bin/env python3
"""The CDS hook under HTTP load, for bench/run.sh: the encounter-start hook with full prefetch
against the same server's no-op (patient-view, empty chart), at 1, 16 and 64 connections.

The load comes from wrk (one thread, keep-alive connections, each sending its next request as
soon as the answer arrives): a lean C client, so that the client's own work, which shares the
machine's two cores with the server, adds as little as possible to either side. The requests
alternate in five rounds per level after a warm-up of each, so that a change in the machine's
speed falls on all of them. Percentiles are the median over the rounds; the ratios are the median of the
rounds' ratios, with the lowest and highest round's in brackets.

A third request measures the floor under both: the full-prefetch body sent to a service id the
server does not have, answered 404 before the body is parsed. It carries the full request's bytes
through the same server and HTTP path with no hook work, so "floor / no-op" shows how much of the
ratio the larger request's transport accounts for.

Before the levels, the server is warmed until its JIT has settled: the full hook and the no-op
alternate in runs of WARM_UP_SECONDS at 16 connections until each one's rate is within
STEADY_WITHIN of its previous run's (at least MIN_WARM_UP_SECONDS, at most MAX_WARM_UP_SECONDS).
A fast machine settles in well under a minute; a slow one has been seen still compiling after
several, and a fixed short warm-up there measured the compiler rather than the code.

Usage: hooks.py BASE_URL BODY_DIR SECONDS_PER_HOOK_AND_LEVEL
BODY_DIR holds full.json and noop.json (LoadDriver.java bodies BODY_DIR writes them).
Prints a sentence on the warm-up, then Markdown table rows.
"""
import os
import statistics
import subprocess
import sys

LEVELS = (1, 16, 64)
ROUNDS = 5
WARM_UP_SECONDS = 5
MIN_WARM_UP_SECONDS = 30
MAX_WARM_UP_SECONDS = 300
STEADY_WITHIN = 0.05
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk-post.lua")
FULL = ("/cds-services/prostate-education-encounter-start", "full.json", "encounter-start, full prefetch")
NO_OP = ("/cds-services/prostate-education-patient-view", "noop.json", "no-op (patient-view, empty chart)")
FLOOR = ("/cds-services/no-such-service", "full.json", "floor (full request, unknown service: 404)")


def wrk(base, body_dir, hook, connections, seconds):
    """One wrk run: requests per second, p50 and p99 in ms, errors (for the floor, any answer but 404)."""
    path, body, _ = hook
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", SCRIPT, base + path],
        env={**os.environ, "BODY": os.path.join(body_dir, body)}, capture_output=True, text=True, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    requests, duration, p50, p99, errors, non_2xx = (float(v) for v in line.split()[1:])
    unexpected = requests - non_2xx if hook is FLOOR else non_2xx
    return {"rate": requests / duration, "p50": p50 / 1000, "p99": p99 / 1000, "errors": int(errors + unexpected)}


def summary(runs):
    return {"rate": statistics.mean(r["rate"] for r in runs), "p50": statistics.median(r["p50"] for r in runs),
            "p99": statistics.median(r["p99"] for r in runs), "errors": sum(r["errors"] for r in runs)}


def row(connections, name, s):
    return f"| {connections} | {name} | {s['rate']:.0f} | {s['p50']:.2f} | {s['p99']:.2f} | {s['errors']} |"


def ratio(connections, name, runs, baseline):
    """The median of the rounds' ratios, with the lowest and highest round beside it."""
    def spread(key):
        ratios = [r[key] / b[key] for r, b in zip(runs, baseline)]
        return f"{key} {statistics.median(ratios):.2f} ({min(ratios):.2f} to {max(ratios):.2f})"
    return f"| {connections} | {name} | | {spread('p50')} | {spread('p99')} | |"


def warm_up(base, body_dir):
    """Loads the server until the full hook's and the no-op's rates hold steady; a sentence saying how long."""
    previous, spent = None, 0
    while spent < MAX_WARM_UP_SECONDS:
        rates = [wrk(base, body_dir, hook, 16, WARM_UP_SECONDS)["rate"] for hook in (FULL, NO_OP)]
        spent += len(rates) * WARM_UP_SECONDS
        steady = previous is not None and all(abs(r - p) <= STEADY_WITHIN * p for r, p in zip(rates, previous))
        if steady and spent >= MIN_WARM_UP_SECONDS:
            return (f"The server was warmed first for {spent} s, until the full hook's and the no-op's rates at 16 "
                    f"connections each held within {STEADY_WITHIN:.0%} from one {WARM_UP_SECONDS} s run to the next.")
        previous = rates
    return (f"The server was warmed first for {spent} s; the full hook's and the no-op's rates at 16 connections "
            f"had not yet held within {STEADY_WITHIN:.0%} from one {WARM_UP_SECONDS} s run to the next.")


def main():
    base, body_dir, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    per_round = max(1, round(seconds / ROUNDS))
    print(warm_up(base, body_dir))
    print()
    print("| clients | hook | requests/s | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    for connections in LEVELS:
        for hook in (FULL, NO_OP, FLOOR):
            wrk(base, body_dir, hook, connections, WARM_UP_SECONDS)
        full, no_op, floor = [], [], []
        for _ in range(ROUNDS):
            full.append(wrk(base, body_dir, FULL, connections, per_round))
            no_op.append(wrk(base, body_dir, NO_OP, connections, per_round))
            floor.append(wrk(base, body_dir, FLOOR, connections, per_round))
        print(row(connections, FULL[2], summary(full)))
        print(row(connections, NO_OP[2], summary(no_op)))
        print(row(connections, FLOOR[2], summary(floor)))
        print(ratio(connections, "ratio full / no-op", full, no_op))
        print(ratio(connections, "ratio floor / no-op", floor, no_op))


if __name__ == "__main__":
    main()
