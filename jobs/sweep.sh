#!/bin/bash
# Parameter sweep as ONE SLURM job array: a deck per grid point, one array task each.
#   jobs/sweep.sh inputs/quickstart.ini runs/sweep1 run.seed=1,2,3 mcmc.steps=500,1000
#   ... when done: tools/sweep_collect.py runs/sweep1   (metrics.csv + metrics.h5)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DECK=${1:?usage: jobs/sweep.sh DECK OUTDIR section.key=v1,v2 ...}; OUTDIR=${2:?missing OUTDIR}; shift 2
/usr/bin/python3 "$here/../tools/sweep.py" "$DECK" "$OUTDIR" "$@"
sbatch "$OUTDIR/array.sbatch"
