#!/bin/sh
# run.sh compares `h1 load` with wrk and hey against one nginx on loopback.
#
# It writes an nginx configuration to a temporary directory (a 1 KiB static
# file, keep-alive, access_log off, a free loopback port), starts nginx in
# the foreground as a background child, builds h1, then runs wrk and
# `h1 load` alternately ROUNDS times each and hey once, and prints their
# requests/s side by side with the ratios. nginx is stopped and the
# directory removed on exit, however the script ends.
#
# nginx runs one worker (worker_processes 1): on a 2-core machine that
# leaves one core to nginx and one to the load generator, so a run shows
# whether a generator keeps the server saturated. With two workers the
# generator and nginx fight over both cores and the numbers say more about
# the scheduler than about the tools. NGINX_WORKERS=auto tries it anyway.
#
# Settings (environment): ROUNDS (3), DURATION in seconds (10), CONNS (32),
# WRK_THREADS (2), NGINX_WORKERS (1), H1_LOOPS (1), GO (go).
set -eu

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNS=${CONNS:-32}
WRK_THREADS=${WRK_THREADS:-2}
NGINX_WORKERS=${NGINX_WORKERS:-1}
H1_LOOPS=${H1_LOOPS:-1}
GO=${GO:-go}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-/usr/bin/wrk}
HEY=${HEY:-/usr/bin/hey}

for b in "$NGINX" "$WRK" "$HEY"; do
	[ -x "$b" ] || { echo "run.sh: $b is missing (make bench-load installs it)" >&2; exit 1; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/h1-bench-load.XXXXXX")
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

# nginx's workers may run as another user: they must read the files.
chmod 755 "$dir"
mkdir -p "$dir/www" "$dir/logs"
head -c 1024 /dev/zero | tr '\0' 'x' >"$dir/www/index.html"
chmod 644 "$dir/www/index.html"

# A free loopback port: bind port 0 and read what the system chose.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + $$ % 20000)))

cat >"$dir/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes $NGINX_WORKERS;
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
		listen 127.0.0.1:$port;
		root $dir/www;
		location / {
		}
	}
}
CONF

"$NGINX" -p "$dir" -e "$dir/logs/error.log" -c "$dir/nginx.conf" &
nginx_pid=$!
url="http://127.0.0.1:$port/index.html"
i=0
until curl -sf -o /dev/null "$url" 2>/dev/null || "$WRK" -t1 -c1 -d1s "$url" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -ge 50 ]; then
		echo "run.sh: nginx did not start:" >&2
		cat "$dir/logs/error.log" >&2
		exit 1
	fi
	sleep 0.1
done

echo "building h1"
"$GO" build -o "$dir/h1" ./cmd/h1

echo "nginx: $url (1 KiB file, worker_processes $NGINX_WORKERS, keep-alive, access_log off)"
echo "each run: ${DURATION}s, $CONNS connections; wrk -t$WRK_THREADS; h1 load --loops $H1_LOOPS; hey once"
echo "warming up (2s)"
"$WRK" -t"$WRK_THREADS" -c"$CONNS" -d2s "$url" >/dev/null

wrk_rps=""
h1_rps=""
notes=""
r=1
while [ $r -le "$ROUNDS" ]; do
	out=$("$WRK" -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" "$url")
	rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
	errs=$(echo "$out" | awk '/Socket errors|Non-2xx/' | tr -s ' ' | tr '\n' ';')
	[ -n "$errs" ] && notes="$notes  wrk round $r:$errs\n"
	echo "round $r: wrk     $rps req/s"
	wrk_rps="$wrk_rps $rps"

	out=$("$dir/h1" load -c "$CONNS" --duration "${DURATION}s" --loops "$H1_LOOPS" --json "$url")
	rps=$(echo "$out" | sed -n 's/.*"rps":\([0-9.e+]*\).*/\1/p' | awk '{printf "%.2f", $1}')
	errs=$(echo "$out" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
	[ "$errs" != "0" ] && notes="$notes  h1 round $r: $errs errors: $out\n"
	echo "round $r: h1 load $rps req/s ($errs errors)"
	h1_rps="$h1_rps $rps"
	r=$((r + 1))
done

out=$("$HEY" -c "$CONNS" -z "${DURATION}s" "$url")
hey_rps=$(echo "$out" | awk '/Requests\/sec:/ {print $2}')
hey_errs=$(echo "$out" | awk '/Error distribution/ {on=1; next} on && NF' | head -5 | tr -s ' ' | tr '\n' ';')
[ -n "$hey_errs" ] && notes="$notes  hey:$hey_errs\n"
hey_status=$(echo "$out" | awk '/Status code distribution/ {on=1; next} on && /\[/ {print $1 $2 $3}' | tr '\n' ' ')
echo "hey:             $hey_rps req/s (status: $hey_status)"

echo
awk -v wrk="$wrk_rps" -v h1="$h1_rps" -v hey="$hey_rps" -v conns="$CONNS" -v dur="$DURATION" '
function median(s,   a, n, i, j, t) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function mean(s,   a, n, i, t) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++) t += a[i]
	return n ? t / n : 0
}
function row(name, s,   a, n, i, line) {
	n = split(s, a, " ")
	line = sprintf("%-9s", name)
	for (i = 1; i <= 3; i++) line = line sprintf(" %10s", i <= n ? sprintf("%.0f", a[i]) : "-")
	return line
}
BEGIN {
	mw = median(wrk); mh = median(h1); my = hey + 0
	aw = mean(wrk); ah = mean(h1)
	printf "requests/s, %s connections, %ss per run; ratios of medians (of means)\n", conns, dur
	printf "%-9s %10s %10s %10s %10s %10s %15s %15s\n", "tool", "run 1", "run 2", "run 3", "median", "mean", "vs wrk", "vs hey"
	printf "%s %10.0f %10.0f %7.2f (%4.2f) %7.2f (%4.2f)\n", row("wrk", wrk), mw, aw, 1, 1, (my > 0 ? mw / my : 0), (my > 0 ? aw / my : 0)
	printf "%s %10.0f %10.0f %7.2f (%4.2f) %7.2f (%4.2f)\n", row("h1 load", h1), mh, ah, (mw > 0 ? mh / mw : 0), (aw > 0 ? ah / aw : 0), (my > 0 ? mh / my : 0), (my > 0 ? ah / my : 0)
	printf "%s %10.0f %10.0f %7.2f (%4.2f) %7.2f (%4.2f)\n", row("hey", hey), my, my, (mw > 0 ? my / mw : 0), (aw > 0 ? my / aw : 0), 1, 1
}'
if [ -n "$notes" ]; then
	echo "errors:"
	printf "$notes"
else
	echo "errors: none"
fi
