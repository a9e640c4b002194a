#!/bin/bash
# abba.sh OLD NEW [ROUNDS [BENCHMARK]]: compare two builds of rotation on a
# start-up benchmark, run in turns A B B A A B ..., so that neither gains from
# always going second (a warm page cache, a quieter minute), and print each
# build's median over ROUNDS (default 10) runs of 20. On a shared machine
# figures drift by several ms from hour to hour; only builds run in turns
# compare. Build each with CGO_ENABLED=0 go build -o FILE . first.
# Example: scripts/abba.sh /tmp/old /tmp/new 10 StartupFirstFrame
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); rounds=${3:-10}; bench=${4:-StartupFirstFrame}
cd "$(dirname "$0")/.."
run() {
  ROTATION_BENCH_BIN=$1 go test -run '^$' -bench "^Benchmark$bench\$" -benchtime 20x . |
    awk -v b="$1" '/^Benchmark/ {printf "%s %.1f\n", b, $3/1e6}'
}
out=$(mktemp)
for i in $(seq "$rounds"); do
  if ((i % 2)); then run "$old"; run "$new"; else run "$new"; run "$old"; fi
done | tee "$out"
for b in "$old" "$new"; do
  grep -F "$b " "$out" | cut -d' ' -f2 | sort -n | awk -v b="$b" '
    { a[NR] = $1 }
    END { med = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
          printf "%s: median %.1f ms over %d runs (%.1f-%.1f)\n", b, med, NR, a[1], a[NR] }'
done
rm -f "$out"
