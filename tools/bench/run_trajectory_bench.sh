#!/usr/bin/env bash
# The streamed trajectory file at size: for each (ranks, d, deflate) case, bench_trajectories
# writes N paths × FRAMES × d under /usr/bin/time -v (peak RSS per rank), then
# read_trajectories.py times h5py reads of one path and one time slice; the file is deleted
# after each case. Prints the RESULT lines and the peak RSS; see README.md "HDF5 trajectories at size".
#   usage: tools/bench/run_trajectory_bench.sh BENCH_TRAJECTORIES DIR [N] [FRAMES] [CASES]
#   CASES: space-separated ranks:d:deflate (default "1:2:1 2:2:1 1:2:0 1:32:1 2:32:1")
set -euo pipefail
bin=$1 dir=$2 n=${3:-1000000} frames=${4:-11} cases=${5:-"1:2:1 2:2:1 1:2:0 1:32:1 2:32:1"}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
echo "date $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
df -h "$dir" | tail -1
for c in $cases; do
  IFS=: read -r np d deflate <<<"$c"
  f="$dir/bench_n${n}_d${d}_np${np}_z${deflate}_trajectories.h5"
  echo "== $np rank(s), d = $d, deflate = $deflate"
  # /usr/bin/time -v per rank, into DIR/time.<rank>
  mpirun --allow-run-as-root --oversubscribe -n "$np" bash -c '/usr/bin/time -v -o "$0.$OMPI_COMM_WORLD_RANK" "$@"' \
    "$dir/time" "$bin" "$n" "$frames" "$d" "$f" "$deflate" | grep RESULT
  for t in "$dir"/time.*; do echo "peak RSS rank ${t##*.}: $(awk -F': ' '/Maximum resident/ {printf "%.1f MB", $2 / 1024}' "$t")"; done
  rm -f "$dir"/time.*
  [ "$d" -le 2 ] && whole=--whole || whole=
  /usr/bin/python3 "$here/read_trajectories.py" "$f" $whole | grep -E "RESULT|chunks"
  rm -f "$f"
done
