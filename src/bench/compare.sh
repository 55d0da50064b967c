#!/usr/bin/env bash
# The load comparison: Gatewise, Jetty's plain ProxyServlet, nginx and HAProxy as reverse proxies,
# and Spring Cloud Gateway, all up together in front of the same nginx upstream on loopback and
# measured in interleaved rounds, on the success path (small body, 64 KB) and the failure path
# (refused port, black-holed port), at 16, 64 and 256 connections. Writes
# src/bench/results/results.{md,json,svg} with the ratios. About 20 minutes; --smoke takes about two.
# --scenarios h2,grpc loads over h2c with h2load instead: the small body, and unary gRPC calls to an
# echo server (src/bench/results/h2-grpc). --scenarios ws: a WebSocket echo (64-byte and 16 KB
# messages) through Gatewise and nginx, and direct to the echo (src/bench/results/websocket).
# --scenarios warmup (never by default): each target started fresh and loaded from its first request
# on, second by second, for --cold-seconds (60): steady req/s and time to 90 % of it (warmup.csv).
#
# Usage: src/bench/compare.sh [--smoke] [--soak ROUNDS] [--seconds N] [--connections 16,64,256] ...
#        src/bench/compare.sh --fault-soak [--seconds 1800] [--seed 20]   (faults under load, one gateway)
#        (all options: src/bench/compare.sh --help)
# Installs nginx, wrk, (when the run has target haproxy) HAProxy and (when it has scenario h2 or
# grpc) h2load with apt when they are missing (as root), and builds the project, or only the Spring Cloud Gateway jar, when jars are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Which targets this run has: --targets, or the harness's default (Options.targetNames).
targets=gatewise,gatewise-failfast,jetty,jetty-core,nginx,haproxy,scg
scenarios=small,64k,refused,blackhole
scg_jar=src/bench/scg/target/scg-bench.jar
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --targets) targets="${args[i + 1]:-}" ;;
    --scenarios) scenarios="${args[i + 1]:-}" ;;
    --scg-jar) scg_jar="${args[i + 1]:-}" ;;
  esac
done
has_target() { [[ ",$targets," == *",$1,"* ]]; }
has_scenario() { [[ ",$scenarios," == *",$1,"* ]]; }

# tool:Debian package
tools=(nginx:nginx wrk:wrk)
has_target haproxy && tools+=(haproxy:haproxy)
{ has_scenario h2 || has_scenario grpc; } && tools+=(h2load:nghttp2-client)
for entry in "${tools[@]}"; do
  tool=${entry%%:*} package=${entry#*:}
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    [ "$(id -u)" = 0 ] || { echo "$tool is missing: apt-get install $package" >&2; exit 2; }
    echo "Installing $package..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  fi
done

BENCH_JAR=src/bench/jmh/target/benchmarks.jar
if [ ! -f sample-webapp/target/gatewise.jar ] || [ ! -f "$BENCH_JAR" ]; then
  echo "Building (mvn -B -q package -DskipTests)..."
  mvn -B -q package -DskipTests
fi
if has_target scg && [ ! -f "$scg_jar" ]; then
  echo "Building Spring Cloud Gateway (mvn -B -q -f src/bench/scg/pom.xml package -DskipTests)..."
  mvn -B -q -f src/bench/scg/pom.xml package -DskipTests
fi
exec java -cp "$BENCH_JAR" io.gatewise.bench.load.LoadHarness "$@"
