#!/usr/bin/env python3
"""Shares of CPU by code path in a dotnet-trace sampled-thread-time profile (docs/benchmarks.md).

    dotnet-trace collect --profile dotnet-sampled-thread-time -o rush.nettrace -- \
        bench/Harbor.Bench/bin/Release/net10.0/Harbor.Bench rush --engine sqlite --no-report
    dotnet-trace convert --format Speedscope rush.nettrace -o rush
    python3 bench/profile/cpu_shares.py rush.speedscope.json

Only the samples whose leaf is the runtime's CPU_TIME pseudo-frame count (a thread running, not
waiting); a sample counts for a code path when any frame of its stack matches the path's pattern.
"""
import collections
import json
import re
import sys

PATHS = [
    ("Kestrel request processing (all server work)", r"HttpProtocol\+<ProcessRequests>"),
    ("bearer-token authentication", r"BearerTokenHandler\.HandleAuthenticateAsync"),
    ("building DbContexts' internal services", r"DbContext\.get_ContextServices"),
    ("DI scope resolution (all)", r"ServiceProviderEngineScope\.GetService"),
    ("EF query execution (all queries)", r"QueryCompiler\.ExecuteCore"),
    ("ClaimFromPool", r"ClaimFromPool\.HandleAsync"),
    ("EF SaveChanges", r"DbContext\.SaveChangesAsync"),
    ("Sweep", r"Jobs\.Sweep\.RunAsync"),
    ("GC safepoint polling", r"PollGC"),
    ("spin-waiting", r"LowLevelSpinWaiter"),
    ("lock contention", r"Monitor\.Enter_Slowpath"),
    ("the bench's HTTP client", r"System\.Net\.Http\.HttpConnection\+<SendAsync>"),
    ("startup: migrations", r"DatabaseSetup\.MigrateAsync"),
]


def main(path):
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    compiled = [(name, re.compile(pattern)) for name, pattern in PATHS]
    paths_of = {i: [name for name, rx in compiled if rx.search(f)] for i, f in enumerate(frames)}
    shares = collections.Counter()
    total = 0.0
    for profile in data["profiles"]:
        stack, last = [], profile["startValue"]
        for event in profile["events"]:
            now = event["at"]
            if stack and now > last and frames[stack[-1]] == "CPU_TIME":
                total += now - last
                hit = set()
                for frame in stack:
                    hit.update(paths_of[frame])
                for name in hit:
                    shares[name] += now - last
            last = now
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
    print(f"{total / 1000:.1f} s of CPU samples")
    for name, _ in PATHS:
        print(f"{100 * shares[name] / max(total, 1):5.1f} %  {name}")


if __name__ == "__main__":
    main(sys.argv[1])
