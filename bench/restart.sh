#!/usr/bin/env bash
# restart.sh BIN DIR PORT: starts `BIN serve` on the bbolt store DIR, times
# exec to the first 200 of /readyz (polled every 0.1 s), then prints the
# RSS (RSS_AFTER seconds later, default 0), the peak RSS and the CPU the
# process used, in MiB and seconds, with the load average; then stops it.
# docs/performance.md's restart figures come from it.
set -euo pipefail
bin=$1 dir=$2 port=$3
log=$(mktemp)
start=$(date +%s.%N)
"$bin" serve --store "bbolt:$dir" --addr "127.0.0.1:$port" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -f "$log"' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "the server ended:"; cat "$log"; exit 1; fi
  sleep 0.1
done
end=$(date +%s.%N)
sleep "${RSS_AFTER:-0}"
rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
hwm=$(awk '/VmHWM/{print $2}' "/proc/$pid/status")
ticks=$(awk '{print $14+$15}' "/proc/$pid/stat")
printf 'ready after %.1f s; RSS %d MiB; peak RSS %d MiB; CPU %.1f s; load %s\n' \
  "$(echo "$end - $start" | bc)" $((rss / 1024)) $((hwm / 1024)) "$(echo "$ticks / $(getconf CLK_TCK)" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
