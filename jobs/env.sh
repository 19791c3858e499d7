# Environment for boltzflow jobs: source from job scripts (edit the module lines for your site).
# module load gcc/12 openmpi/4.1 hdf5-parallel/1.10 boost/1.74 kokkos/4
export BOLTZFLOW_ROOT=${BOLTZFLOW_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export BOLTZFLOW_BIN=${BOLTZFLOW_BIN:-$BOLTZFLOW_ROOT/build/src/boltzflow}
# Threads: one OpenMP team per rank, bound to its cores (see hpc-conventions: bind ranks too).
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
export OMP_PROC_BIND=spread
export OMP_PLACES=threads
export OPENBLAS_NUM_THREADS=1     # BLAS runs inside each rank's own thread team budget
# On NFS/Lustre/GPFS where HDF5 cannot lock files:
# export HDF5_USE_FILE_LOCKING=FALSE
