#!/usr/bin/env bash
# scatter.sh: the loopback simulation of docs/scale.md, the commands its
# figures come from. Run from the repository's bench/ directory:
#
#   ./scatter.sh stores DIR [N]   # registry of N firms (200000), split by province into 3, 4 bbolt stores
#   ./scatter.sh serve DIR        # 4 `chainkg serve` on 127.0.0.1:8090 (all) and :8091-8093 (parts)
#   ./scatter.sh run DIR [FLAGS]  # kgbench scatter against them, then each server's RSS
#   ./scatter.sh stop DIR         # stops the servers it started (their process groups)
#
# Every heavy step runs under nice -n 10: the machine is shared.
set -euo pipefail
cmd=$1 dir=$2
bench=$(cd "$(dirname "$0")" && pwd)
ports=(8090 8091 8092 8093)
stores=(all part-1 part-2 part-3)

stores() {
  local n=${1:-200000}
  mkdir -p "$dir"
  (cd "$bench/.." && go build -o "$dir/chainkg" ./cmd/chainkg && go build -o "$dir/synthreg" ./cmd/synthreg)
  (cd "$bench" && go build -o "$dir/kgbench" ./kgbench)
  nice -n 10 "$dir/synthreg" -seed 1 -n "$n" -out "$dir/firms.csv"
  nice -n 10 "$dir/kgbench" split --registry "$dir/firms.csv" --parts 3 --out "$dir"
  cp "$dir/firms.csv" "$dir/all.csv"
  # One load at a time: each is mostly one core (cayley's writer).
  for s in "${stores[@]}"; do
    rm -rf "${dir:?}/$s.db"
    /usr/bin/time -f "$s: %e s wall, %U+%S s CPU, peak RSS %M KiB" \
      nice -n 10 "$dir/chainkg" load registry "$dir/$s.csv" --store "bbolt:$dir/$s.db" --with-defaults >"$dir/$s.load.log" 2>&1 ||
      { tail -20 "$dir/$s.load.log"; exit 1; }
    tail -1 "$dir/$s.load.log"
    du -sh "$dir/$s.db"
  done
}

serve() {
  for i in "${!stores[@]}"; do
    # setsid: each server leads its own process group, which stop kills.
    setsid nice -n 10 "$dir/chainkg" serve --store "bbolt:$dir/${stores[$i]}.db" --addr "127.0.0.1:${ports[$i]}" \
      >"$dir/${stores[$i]}.serve.log" 2>&1 &
    echo $! >"$dir/${stores[$i]}.pid"
  done
  for i in "${!stores[@]}"; do
    until curl -sf "http://127.0.0.1:${ports[$i]}/readyz" >/dev/null; do
      kill -0 "$(cat "$dir/${stores[$i]}.pid")" || { cat "$dir/${stores[$i]}.serve.log"; exit 1; }
      sleep 0.5
    done
  done
  rss
}

rss() {
  for s in "${stores[@]}"; do
    awk -v s="$s" '/VmRSS|VmHWM/{printf "%s %s %d MiB\n", s, $1, $2/1024}' "/proc/$(cat "$dir/$s.pid")/status"
  done
}

run() {
  "$dir/kgbench" scatter --all "http://127.0.0.1:${ports[0]}" \
    --parts "http://127.0.0.1:${ports[1]},http://127.0.0.1:${ports[2]},http://127.0.0.1:${ports[3]}" \
    --routes "$dir/routes.txt" "$@" || status=$?
  rss
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  return "${status:-0}"
}

stop() {
  for s in "${stores[@]}"; do
    [ -f "$dir/$s.pid" ] && kill -- "-$(cat "$dir/$s.pid")" 2>/dev/null || true
    rm -f "$dir/$s.pid"
  done
}

case $cmd in
stores) stores "${@:3}" ;;
serve) serve ;;
run) run "${@:3}" ;;
stop) stop ;;
*) echo "usage: scatter.sh stores|serve|run|stop DIR" >&2; exit 2 ;;
esac
