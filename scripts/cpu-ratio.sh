#!/bin/bash
# cpu-ratio.sh SECONDS [ROTATION-ARGS...]: rotation's CPU as a ratio against
# a minimal Bubble Tea v2 program (scripts/baseline), the two run side by
# side in tmux at 160x48 over the same SECONDS, so that the machine's load
# that minute weighs on both. Builds both static first. Prints each one's
# share of a core and the ratio. Example, all markets closed:
#   scripts/cpu-ratio.sh 90 --feed sim --now 2026-11-21T12:00:00Z
set -euo pipefail
secs=${1:-90}; shift || true
cd "$(dirname "$0")/.."
dir=$(mktemp -d); mkdir "$dir/bin"
CGO_ENABLED=0 go build -o "$dir/bin/rotation" .
CGO_ENABLED=0 go build -o "$dir/bin/baseline" ./scripts/baseline
sock="cpu-ratio-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; sleep 1; rm -rf "$dir"' EXIT
# Each in its own session and config home, so neither reads the user's files.
tmux -L "$sock" new-session -d -x 160 -y 48 -s rot \
  "env XDG_CONFIG_HOME=$dir XDG_CACHE_HOME=$dir XDG_STATE_HOME=$dir $dir/bin/rotation $*"
tmux -L "$sock" new-session -d -x 160 -y 48 -s base "$dir/bin/baseline"
sleep 10 # past start-up
pid() { tmux -L "$sock" list-panes -t "$1" -F '#{pane_pid}'; }
rot=$(pid rot) || { echo "rotation exited during start-up; run it by hand: rotation $*"; exit 1; }
base=$(pid base)
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
r0=$(ticks "$rot"); b0=$(ticks "$base")
sleep "$secs"
r1=$(ticks "$rot"); b1=$(ticks "$base")
awk -v r="$((r1 - r0))" -v b="$((b1 - b0))" -v t="$(getconf CLK_TCK)" -v s="$secs" 'BEGIN {
  printf "rotation %.2f%% of a core, baseline %.2f%%, over %d s: ratio %.2f\n",
    100*r/t/s, 100*b/t/s, s, (b > 0 ? r/b : 0) }'
