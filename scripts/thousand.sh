#!/bin/bash
# thousand.sh DIR: writes 1,000 symbols in 40 watchlist files of 25 into
# DIR, for the 1,000-symbol CPU figure in docs/performance.md. Symbol k is,
# in turn, USk (New York), (1000+k).T, k.KS (six digits) and (5000+k).TW.
#   scripts/thousand.sh /tmp/w1000
#   scripts/cpu-ratio.sh 90 --feed sim --watchlists /tmp/w1000 --now 2026-11-20T02:00:00Z
set -euo pipefail
dir=${1:?usage: thousand.sh DIR}
mkdir -p "$dir"
for i in $(seq 0 39); do
  era=training; (( i % 2 )) && era=inference
  f=$(printf '%s/%02d-scale.yaml' "$dir" $((10 + i)))
  { printf 'name: Scale %02d\nera: %s\nsymbols:\n' "$i" "$era"
    for j in $(seq 0 24); do
      k=$((i * 25 + j))
      case $((k % 4)) in
        0) printf '  - US%03d\n' "$k" ;;
        1) printf '  - %04d.T\n' $((1000 + k)) ;;
        2) printf '  - %06d.KS\n' "$k" ;;
        3) printf '  - %04d.TW\n' $((5000 + k)) ;;
      esac
    done; } > "$f"
done
