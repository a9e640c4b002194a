#!/bin/bash
# cpu.sh PID SECONDS: CPU time (user+sys) the process used over SECONDS, as % of one core.
pid=$1; secs=$2; tck=$(getconf CLK_TCK)
read_t() { awk '{print $14+$15}' /proc/$pid/stat; }
a=$(read_t); sleep "$secs"; b=$(read_t)
awk -v a="$a" -v b="$b" -v t="$tck" -v s="$secs" 'BEGIN{printf "%.2f s CPU over %d s = %.2f%% of one core\n", (b-a)/t, s, 100*(b-a)/t/s}'
