#!/usr/bin/env bash
# Profiles targets of the load comparison under the same load, one after another, with
# async-profiler (tools.profiler:async-profiler from Maven Central) as a JVM agent, and writes a
# flame graph per target, scenario and event. By default a CPU flame graph at 64 connections:
# src/bench/results/flamegraphs/<target>-<scenario>.html.
# Read them side by side: what does Gatewise spend that Jetty's plain ProxyServlet does not?
#
# Usage: src/bench/profile.sh [--targets gatewise,jetty] [--scenarios small,refused] [--seconds 30]
#                             [--event cpu,wall,lock] [--connections 64] [--out DIR]
#   --event        what to sample, each event in a run of its own, in turn (cpu by default):
#                  cpu: on-CPU time, itimer every 1 ms; wall: every thread whether running or not
#                  (parked, blocked, in I/O), every 5 ms, one tree per thread (async-profiler's
#                  threads option); lock: contended monitors and java.util.concurrent locks, every
#                  wait of 1 µs or more, weighted by the time waited (async-profiler's total option)
#   --connections  wrk's connections (64)
#   --out DIR      where the flame graphs go (src/bench/results/flamegraphs). With --event or --out the
#                  files are DIR/<target>-<scenario>-<event>.html, so the default CPU graphs stay as
#                  they are, and each comes with DIR/<target>-<scenario>-<event>.collapsed.gz: its
#                  stacks as text, one "frame;frame;... samples" line per stack, for zgrep, sort and
#                  awk (src/bench/FlameCollapse.java), and DIR/<target>-<scenario>-<event>.md: the load
#                  harness's results of that run (req/s, p50, p99, threads). The wall graph merges the
#                  threads of a pool into one tree ("[qtpN-N]"); the profiler's own, one tree per
#                  thread, stays in target/profile-<target>-<scenario>-wall/.
# Profile on a quiet machine: a profile taken beside other work is mostly the JIT and the scheduler.
set -euo pipefail
cd "$(dirname "$0")/../.."

TARGETS=gatewise,jetty
SCENARIOS=small,refused
SECONDS_PER_RUN=30
EVENTS=cpu
CONNECTIONS=64
OUT=src/bench/results/flamegraphs
NAMED_BY_EVENT=false
while [ $# -gt 0 ]; do
  case "$1" in
    --targets) TARGETS=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --event) EVENTS=$2; NAMED_BY_EVENT=true; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --out) OUT=$2; NAMED_BY_EVENT=true; shift 2 ;;
    *) echo "unknown option $1 (expected --targets, --scenarios, --seconds, --event, --connections or --out)" >&2
       exit 2 ;;
  esac
done

IFS=, read -r -a targets <<< "$TARGETS"
IFS=, read -r -a scenarios <<< "$SCENARIOS"
IFS=, read -r -a events <<< "$EVENTS"
for event in "${events[@]}"; do
  case "$event" in
    cpu|wall|lock) ;;
    *) echo "unknown event $event (expected cpu, wall or lock)" >&2; exit 2 ;;
  esac
done

VERSION=4.2
AGENT_DIR=target/async-profiler-$VERSION
if [ ! -f "$AGENT_DIR/linux-x64/libasyncProfiler.so" ]; then
  mvn -B -q dependency:copy -Dartifact=tools.profiler:async-profiler:$VERSION -DoutputDirectory=target
  mkdir -p "$AGENT_DIR"
  (cd "$AGENT_DIR" && unzip -q -o "../async-profiler-$VERSION.jar" 'linux-x64/*')
fi
AGENT=$PWD/$AGENT_DIR/linux-x64/libasyncProfiler.so
mkdir -p "$OUT"

# Targets innermost: the runs of one event follow each other, so that both see the same machine.
for scenario in "${scenarios[@]}"; do
  for event in "${events[@]}"; do
    for target in "${targets[@]}"; do
      case "$event" in
        cpu) sampling=event=itimer,interval=1ms ;;
        wall) sampling=event=wall,interval=5ms,threads ;;
        lock) sampling=event=lock,lock=1us,total ;;
      esac
      name=$target-$scenario
      $NAMED_BY_EVENT && name=$name-$event
      work=target/profile-$name
      graph=$PWD/$OUT/$name.html
      [ "$event" = wall ] && mkdir -p "$work" && graph=$PWD/$work/$name-per-thread.html
      echo "Profiling $target on $scenario ($event, $CONNECTIONS connections) for ${SECONDS_PER_RUN}s..."
      # The profile covers the whole run and is written when the target stops: with 15 s of warm-up
      # and 30 s of load, start-up and the JIT's first work are a small part of it.
      src/bench/compare.sh --targets "$target" --scenarios "$scenario" --connections "$CONNECTIONS" \
        --warmup 15 --seconds "$SECONDS_PER_RUN" --rounds 1 --out "$work" \
        --jvm "-Xms256m -Xmx256m -XX:+UseParallelGC -agentpath:$AGENT=start,$sampling,file=$graph" \
        | grep -E "^\| $target|^\| jetty" || true
      if $NAMED_BY_EVENT; then
        cp "$work/results.md" "$OUT/$name.md"
        if [ "$event" = wall ]; then
          java src/bench/FlameCollapse.java --merge-threads "$graph" "$work/$name.collapsed" "$OUT/$name.html"
        else
          java src/bench/FlameCollapse.java "$graph" "$work/$name.collapsed"
        fi
        gzip -9 -c "$work/$name.collapsed" > "$OUT/$name.collapsed.gz"
      fi
    done
  done
done
echo "Flame graphs in $OUT"
