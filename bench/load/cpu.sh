#!/bin/sh
# cpu.sh measures the CPU that `h1 load` and wrk spend per request against
# one nginx on loopback, each on its own core.
#
# nginx (one worker, the 1 KiB file of run.sh, keep-alive, stub_status on
# /status) runs pinned to core NGINX_CPU; each generator runs pinned to
# core GEN_CPU under GNU time, which reports the user and system CPU of
# the generator's process. The requests are the ones nginx counted (the
# difference of stub_status's request counter around the run, less the
# status request itself), so a generator cannot flatter itself by
# counting what the server did not answer. For each connection count in
# CONNS_LIST it runs wrk -t1 and `h1 load --loops 1` alternately ROUNDS
# times and prints, per tool, the median of requests/s and of CPU
# microseconds per request, with h1's ratios to wrk.
#
# Settings (environment): ROUNDS (3), DURATION in seconds (10),
# CONNS_LIST ("32 256"), NGINX_CPU (0), GEN_CPU (1), GO (go).
set -eu

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNS_LIST=${CONNS_LIST:-"32 256"}
NGINX_CPU=${NGINX_CPU:-0}
GEN_CPU=${GEN_CPU:-1}
GO=${GO:-go}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-/usr/bin/wrk}
TIME=${TIME:-/usr/bin/time}

for b in "$NGINX" "$WRK" "$TIME" /usr/bin/taskset /usr/bin/curl; do
	[ -x "$b" ] || { echo "cpu.sh: $b is missing (make bench-load installs it)" >&2; exit 1; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/h1-bench-cpu.XXXXXX")
nginx_pid=""
cleanup() {
	if [ -n "$nginx_pid" ]; then
		kill "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

chmod 755 "$dir"
mkdir -p "$dir/www" "$dir/logs"
head -c 1024 /dev/zero | tr '\0' 'x' >"$dir/www/index.html"
chmod 644 "$dir/www/index.html"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + $$ % 20000)))

cat >"$dir/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 1;
worker_cpu_affinity auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events {
	worker_connections 4096;
}
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_timeout 120s;
	keepalive_requests 100000000;
	client_body_temp_path $dir/tmp-body;
	proxy_temp_path $dir/tmp-proxy;
	fastcgi_temp_path $dir/tmp-fastcgi;
	uwsgi_temp_path $dir/tmp-uwsgi;
	scgi_temp_path $dir/tmp-scgi;
	server {
		listen 127.0.0.1:$port backlog=4096;
		root $dir/www;
		location / {
		}
		location = /status {
			stub_status;
		}
	}
}
CONF

taskset -c "$NGINX_CPU" "$NGINX" -p "$dir" -e "$dir/logs/error.log" -c "$dir/nginx.conf" &
nginx_pid=$!
url="http://127.0.0.1:$port/index.html"
status="http://127.0.0.1:$port/status"
i=0
until curl -sf -o /dev/null "$status" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -ge 50 ]; then
		echo "cpu.sh: nginx did not start:" >&2
		cat "$dir/logs/error.log" >&2
		exit 1
	fi
	sleep 0.1
done

# served prints nginx's request counter.
served() {
	curl -sf "$status" | awk 'NR == 3 {print $3}'
}

echo "building h1"
"$GO" build -o "$dir/h1" ./cmd/h1

echo "nginx on core $NGINX_CPU, generators on core $GEN_CPU: $url (1 KiB file, 1 worker, keep-alive)"
echo "each run: ${DURATION}s; wrk -t1; h1 load --loops 1; CPU = user + sys of the generator (GNU time)"
"$WRK" -t1 -c32 -d2s "$url" >/dev/null

# measure TOOL CONNS prints "rps us_per_request" for one run.
measure() {
	tool=$1 conns=$2
	before=$(served)
	case $tool in
	wrk) taskset -c "$GEN_CPU" "$TIME" -f "%U %S" -o "$dir/time" "$WRK" -t1 -c"$conns" -d"${DURATION}s" "$url" >"$dir/out" ;;
	h1) taskset -c "$GEN_CPU" "$TIME" -f "%U %S" -o "$dir/time" "$dir/h1" load -c "$conns" --duration "${DURATION}s" --loops 1 --json "$url" >"$dir/out" ;;
	esac
	after=$(served)
	awk -v before="$before" -v after="$after" -v dur="$DURATION" '
		{ cpu = $1 + $2 }
		END {
			n = after - before - 1
			printf "%.0f %.3f %d %.2f\n", n / dur, cpu * 1e6 / n, n, cpu
		}' "$dir/time"
}

rows=""
for conns in $CONNS_LIST; do
	wrk_rps="" wrk_us="" h1_rps="" h1_us=""
	r=1
	while [ $r -le "$ROUNDS" ]; do
		set -- $(measure wrk "$conns")
		echo "c=$conns round $r: wrk     $1 req/s, $2 us CPU/request ($3 requests, $4 s CPU)"
		wrk_rps="$wrk_rps $1" wrk_us="$wrk_us $2"
		set -- $(measure h1 "$conns")
		echo "c=$conns round $r: h1 load $1 req/s, $2 us CPU/request ($3 requests, $4 s CPU)"
		h1_rps="$h1_rps $1" h1_us="$h1_us $2"
		r=$((r + 1))
	done
	rows="$rows$conns|$wrk_rps|$wrk_us|$h1_rps|$h1_us
"
done

echo
printf "%s" "$rows" | awk -F'|' '
function median(s,   a, n, i, j, t) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
BEGIN {
	printf "CPU per request of the generator (medians of the rounds; requests counted by nginx)\n"
	printf "%-6s %-8s %12s %16s %14s %14s\n", "conns", "tool", "req/s", "us CPU/request", "CPU vs wrk", "req/s vs wrk"
}
NF == 5 {
	wr = median($2); wu = median($3); hr = median($4); hu = median($5)
	printf "%-6s %-8s %12.0f %16.2f %14.2f %14.2f\n", $1, "wrk", wr, wu, 1, 1
	printf "%-6s %-8s %12.0f %16.2f %14.2f %14.2f\n", $1, "h1 load", hr, hu, (wu > 0 ? hu / wu : 0), (wr > 0 ? hr / wr : 0)
}'
