#!/bin/bash
# Parameter sweep: one job per value through command-line overrides, e.g.
#   jobs/sweep.sh inputs/quickstart.ini run.seed 1 2 3 4
set -euo pipefail
DECK=$1 KEY=$2; shift 2
for v in "$@"; do
  sbatch --job-name="bf-${KEY##*.}-$v" "$(dirname "$0")/cpu.sbatch" "$DECK" "--$KEY=$v"
done
