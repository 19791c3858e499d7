#!/usr/bin/env bash
# Install what is missing, build boltzflow, and run the default deck on 2 MPI ranks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" > build.configure.log 2>&1 || { cat build.configure.log; exit 1; }
cmake --build build -j"$(nproc)" --target boltzflow
root=(); [ "$(id -u)" -eq 0 ] && root=(--allow-run-as-root)
mkdir -p runs
OMP_NUM_THREADS=1 mpirun "${root[@]}" --oversubscribe -np 2 build/src/boltzflow inputs/quickstart.ini "$@"
/usr/bin/python3 tools/h5_summary.py runs/quickstart_samples.h5
