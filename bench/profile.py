#!/usr/bin/env python3
"""Where the host's CPU went, from a dotnet-trace sampled-thread-time trace exported as speedscope JSON
(bench/run.sh PROFILE=x.nettrace writes x.speedscope.json).

  bench/profile.py x.speedscope.json [top=40] [filter-substring]

A sample counts as busy when its leaf is CPU_TIME (managed code running or ready to run) or UNMANAGED_CODE_TIME
(native code such as SQLite's, including its I/O) under a frame that is not a wait. The finalizer thread's samples
are left out: its stack stays as it last was while it waits. The sampler sees managed threads only, so the server
GC's own threads are not here (dotnet-counters' gc pause time is). Prints busy time by stage (buckets named for the
event path), by thread, and the busiest frames exclusive (the frame under the pseudo-leaf) and inclusive."""
import json
import re
import sys
from collections import Counter, defaultdict

WAITS = re.compile(r"^\?!\?$|PollGC|Wait|Sleep|LowLevelLifoSemaphore|LowLevelMonitor|epoll|Interop\+Sys\.(Read|Poll|WaitFor)|SemaphoreSlim|"
                   r"ManualResetEvent|Monitor\.Enter|Thread\.Join|accept|ReceiveMessage|SocketAsyncEngine\.EventLoop|"
                   r"TimerQueue\.TimerThread|ProcessLogQueue|BlockingCollection")

# Stage buckets: the first pattern (in this order) that an inclusive frame of the stack matches names its stage.
STAGES = [
    ("commit: SQLite", r"SqliteJournalCommitter|SqliteJournalCommands|SQLitePCL"),
    ("customer: decide (pure)", r"CustomerDecisions\.|SegmentEvaluation\.|CustomerBehaviour\."),
    ("customer: journal entry write", r"CustomerJournal\.Write"),
    ("customer: quality facts", r"QualityReport|QualityFacts"),
    ("customer: stats report", r"StatsReport|PopulationReporter"),
    ("customer: activation/replay", r"JournalReplay|JournalTailReader|OnActivateAsync|ReadStateAsync"),
    ("customer: rest of grain", r"Grains\.Customers\."),
    ("segment shards", r"SegmentShardGrain|MembershipOutbox"),
    ("deadlines", r"DeadlineGrain|DeadlineTracker"),
    ("ingest grain / event ids", r"EventIngestGrain|EventIdsGrain"),
    ("journal writer (queue, group)", r"JournalWriter"),
    ("queries", r"SegmentGrain|CustomerViews|MemberRowReader|Endpoints\.(Segment|Member|Customer)"),
    ("api: parse", r"EventParser|JsonDocument|JsonBody"),
    ("api: endpoint/auth", r"CustomerGrains\.Api"),
    ("kestrel/http", r"Microsoft\.AspNetCore\.Server\.Kestrel|Microsoft\.AspNetCore\."),
    ("orleans: serialization/copy", r"Orleans\.Serialization"),
    ("orleans: messaging/scheduling", r"Orleans\."),
    ("thread pool / other", r"."),
]


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    only = sys.argv[3] if len(sys.argv) > 3 else None
    data = json.load(open(path))
    names = [f["name"] for f in data["shared"]["frames"]]
    busy_by_thread = Counter()
    exclusive = Counter()
    inclusive = Counter()
    stages = Counter()
    total = 0.0
    compiled = [(name, re.compile(p)) for name, p in STAGES]
    stage_cache = {}
    for profile in data["profiles"]:
        stack = []
        last = None
        for ev in profile["events"]:
            at = ev["at"]
            if last is not None and stack and at > last:
                weight = at - last
                leaf = names[stack[-1]]
                parent = names[stack[-2]] if len(stack) > 1 else ""
                busy = (leaf == "CPU_TIME" and not WAITS.search(parent)) or (leaf == "UNMANAGED_CODE_TIME" and not WAITS.search(parent))
                if busy and not any(names[f].endswith("GC.RunFinalizers()") for f in stack):
                    key = tuple(stack)
                    if only is None or any(only in names[f] for f in stack):
                        total += weight
                        busy_by_thread[profile["name"]] += weight
                        exclusive[parent if leaf == "CPU_TIME" else parent + " [native]"] += weight
                        for f in set(stack[:-1]):
                            inclusive[names[f]] += weight
                        stage = stage_cache.get(key)
                        if stage is None:
                            stage = next(n for n, rx in compiled if any(rx.search(names[f]) for f in stack[4:-1]))
                            stage_cache[key] = stage
                        stages[stage] += weight
            last = at
            if ev["type"] == "O":
                stack.append(ev["frame"])
            else:
                # close: pop up to and including the frame
                while stack:
                    if stack.pop() == ev["frame"]:
                        break
    print(f"busy time sampled: {total / 1000:.1f} s")
    print("\n## by stage (first match, bench/profile.py STAGES)")
    for name, w in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"{100 * w / total:5.1f} %  {w / 1000:7.2f} s  {name}")
    print("\n## by thread")
    for name, w in busy_by_thread.most_common(8):
        print(f"{100 * w / total:5.1f} %  {name}")
    print(f"\n## exclusive (top {top})")
    for name, w in exclusive.most_common(top):
        print(f"{100 * w / total:5.1f} %  {name[:170]}")
    print(f"\n## inclusive (top {top})")
    for name, w in inclusive.most_common(top + 8)[8:]:
        print(f"{100 * w / total:5.1f} %  {name[:170]}")


if __name__ == "__main__":
    main()
