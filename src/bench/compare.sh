#!/usr/bin/env bash
# The load comparison: Gatewise, Jetty's plain ProxyServlet and nginx as a reverse proxy, one after
# another in front of the same nginx upstream on loopback, on the success path (small body, 64 KB)
# and the failure path (refused port, black-holed port), at 16, 64 and 256 connections. Writes
# src/bench/results/results.{md,json,svg} with the ratios. About 10 minutes; --smoke takes about one.
#
# Usage: src/bench/compare.sh [--smoke] [--soak ROUNDS] [--seconds N] [--connections 16,64,256] ...
#        (all options: src/bench/compare.sh --help)
# Installs nginx and wrk with apt when they are missing (as root), and builds the project when the
# jars are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in nginx wrk; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    [ "$(id -u)" = 0 ] || { echo "$tool is missing: apt-get install $tool" >&2; exit 2; }
    echo "Installing $tool..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done

BENCH_JAR=src/bench/jmh/target/benchmarks.jar
if [ ! -f sample-webapp/target/gatewise.jar ] || [ ! -f "$BENCH_JAR" ]; then
  echo "Building (mvn -B -q package -DskipTests)..."
  mvn -B -q package -DskipTests
fi
exec java -cp "$BENCH_JAR" io.gatewise.bench.load.LoadHarness "$@"
