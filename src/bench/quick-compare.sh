#!/usr/bin/env bash
# Quick throughput check: the same wrk run straight to an upstream and through Gatewise, on
# loopback, one after the other, reported as a ratio (absolute numbers on a shared machine are
# noise). The full comparison harness (plain Jetty ProxyServlet, nginx as a proxy, failure paths)
# is separate; this one answers "what does the gateway cost on the success path?" in a minute.
#
# Usage: src/bench/quick-compare.sh [seconds per run, default 10] [connections, default 32] [warm-up s, default 5]
# Needs: target/gatewise.jar (mvn -B -q package -DskipTests), nginx and wrk (installed with apt
# when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-32}
WARMUP_SECONDS=${3:-5}
JAR=sample-webapp/target/gatewise.jar

[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
for tool in nginx wrk; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    [ "$(id -u)" = 0 ] || { echo "$tool is missing: apt-get install $tool" >&2; exit 2; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
chmod 755 "$work"   # nginx workers run as an unprivileged user
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

upstream_port=$(free_port)
gateway_port=$(free_port)
mkdir -p "$work/www"
printf 'hello from the upstream\n' > "$work/www/small.txt"
cat > "$work/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$upstream_port;
    root $work/www;
  }
}
CONF
"$NGINX" -c "$work/nginx.conf" -p "$work" &
pids+=($!)

cat > "$work/gateway.yaml" <<CONF
gateway: { name: bench, host: 127.0.0.1, port: $gateway_port }
routes:
  - path: /
    upstreams: [ { url: "http://127.0.0.1:$upstream_port" } ]
CONF
java -Xmx256m -jar "$JAR" --config "$work/gateway.yaml" > "$work/gateway.log" 2>&1 &
pids+=($!)

for port in "$upstream_port" "$gateway_port"; do
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/small.txt" && continue 2
    sleep 0.2
  done
  echo "nothing answers 200 on port $port; logs in $work" >&2
  cat "$work"/*.log >&2
  exit 1
done

run() { # name url -> "requests/s p50 p99"
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" "$2" > /dev/null   # warm-up
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$2" > "$work/$1.txt"
  awk '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} /Non-2xx|Socket errors/ {err=err" "$0}
       END {printf "%s %s %s%s\n", rps, p50, p99, err}' "$work/$1.txt"
}

read -r direct_rps direct_p50 direct_p99 direct_err <<< "$(run direct "http://127.0.0.1:$upstream_port/small.txt")"
read -r gw_rps gw_p50 gw_p99 gw_err <<< "$(run gateway "http://127.0.0.1:$gateway_port/small.txt")"

printf '\n%-22s %12s %10s %10s\n' "target ($CONNECTIONS conns)" "requests/s" "p50" "p99"
printf '%-22s %12s %10s %10s %s\n' "nginx, direct" "$direct_rps" "$direct_p50" "$direct_p99" "${direct_err:-}"
printf '%-22s %12s %10s %10s %s\n' "through Gatewise" "$gw_rps" "$gw_p50" "$gw_p99" "${gw_err:-}"
awk -v g="$gw_rps" -v d="$direct_rps" 'BEGIN {printf "ratio gateway/direct: %.2f\n", g/d}'
