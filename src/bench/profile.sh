#!/usr/bin/env bash
# Profiles targets of the load comparison under the same load, one after another, with
# async-profiler (tools.profiler:async-profiler from Maven Central) as a JVM agent, and writes a
# CPU flame graph per target and scenario: src/bench/results/flamegraphs/<target>-<scenario>.html.
# Read them side by side: what does Gatewise spend that Jetty's plain ProxyServlet does not?
#
# Usage: src/bench/profile.sh [--targets gatewise,jetty] [--scenarios small,refused] [--seconds 30]
# Profile on a quiet machine: a profile taken beside other work is mostly the JIT and the scheduler.
set -euo pipefail
cd "$(dirname "$0")/../.."

TARGETS=gatewise,jetty
SCENARIOS=small,refused
SECONDS_PER_RUN=30
while [ $# -gt 0 ]; do
  case "$1" in
    --targets) TARGETS=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    *) echo "unknown option $1 (expected --targets, --scenarios or --seconds)" >&2; exit 2 ;;
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
OUT=src/bench/results/flamegraphs
mkdir -p "$OUT"

IFS=, read -r -a targets <<< "$TARGETS"
IFS=, read -r -a scenarios <<< "$SCENARIOS"
for scenario in "${scenarios[@]}"; do
  for target in "${targets[@]}"; do
    echo "Profiling $target on $scenario for ${SECONDS_PER_RUN}s..."
    # The profile covers the whole run and is written when the target stops: with 15 s of warm-up
    # and 30 s of load, start-up and the JIT's first work are a small part of it.
    src/bench/compare.sh --targets "$target" --scenarios "$scenario" --connections 64 \
      --warmup 15 --seconds "$SECONDS_PER_RUN" --rounds 1 --out "target/profile-$target-$scenario" \
      --jvm "-Xms256m -Xmx256m -XX:+UseParallelGC -agentpath:$AGENT=start,event=itimer,interval=1ms,file=$PWD/$OUT/$target-$scenario.html" \
      | grep -E "^\| $target|^\| jetty" || true
  done
done
echo "Flame graphs in $OUT"
