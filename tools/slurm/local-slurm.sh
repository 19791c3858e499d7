#!/usr/bin/env bash
# A real single-node SLURM (slurmctld + slurmd + munge) on localhost, for testing the job
# scripts in jobs/. Everything lives under STATE_DIR; nothing of the system's config is touched.
#   tools/slurm/local-slurm.sh start STATE_DIR   # prints "export SLURM_CONF=..." on success
#   tools/slurm/local-slurm.sh stop  STATE_DIR
# Needs root (munge and slurmd run as root here) and Debian's slurm-wlm + munge.
set -euo pipefail
cmd=${1:?usage: local-slurm.sh start|stop STATE_DIR}
S=$(realpath -m "${2:?usage: local-slurm.sh start|stop STATE_DIR}")

stop() {
  if [ -f "$S/slurm.conf" ] && [ -f "$S/slurmctld.pid" ]; then  # end the jobs first, or their steps outlive slurmd
    SLURM_CONF="$S/slurm.conf" scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 30); do
      [ -z "$(SLURM_CONF="$S/slurm.conf" squeue -h 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  for p in slurmd slurmctld munged; do
    [ -f "$S/$p.pid" ] && kill "$(cat "$S/$p.pid")" 2>/dev/null || true
  done
  for p in slurmd slurmctld munged; do  # wait until they are gone (ports, sockets)
    for _ in $(seq 50); do
      [ -f "$S/$p.pid" ] && kill -0 "$(cat "$S/$p.pid")" 2>/dev/null || break
      sleep 0.2
    done
  done
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "local-slurm: unknown command '$cmd'" >&2; exit 2; }
for b in slurmctld slurmd munged sbatch; do
  command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || { echo "local-slurm: $b not found (apt-get install slurm-wlm munge)" >&2; exit 2; }
done
export PATH=$PATH:/usr/sbin
mkdir -p "$S"/{munge,spool,ctld,log}
chmod 700 "$S/munge"

# munge: a private key and socket
[ -f "$S/munge/munge.key" ] || dd if=/dev/urandom of="$S/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$S/munge/munge.key"
munged --force --key-file="$S/munge/munge.key" --socket="$S/munge/socket" \
       --pid-file="$S/munged.pid" --log-file="$S/log/munged.log" --seed-file="$S/munge/seed"

host=$(hostname -s)
# Ports of this instance: free ones picked at random, so a stale instance can never answer for it.
while :; do
  port=$((20000 + RANDOM % 20000))
  ! (ss -ltn 2>/dev/null | grep -qE ":($port|$((port + 1)))\b") && break
done
cpus=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)  # nproc honours OMP_NUM_THREADS (ctest sets it to 1)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
cat > "$S/slurm.conf" <<CONF
ClusterName=boltzflow-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$S/munge/socket
CredType=cred/munge
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$S/ctld
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobRequeue=1
SchedulerType=sched/backfill
KillWait=10
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
# PMIx (srun --mpi=pmix) client directories inside the state dir, not /tmp.
mkdir -p "$S/pmix"
echo "PMIxCliTmpDirBase=$S/pmix" > "$S/mpi.conf"
export SLURM_CONF="$S/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for i in $(seq 60); do
  if sinfo -h -o %T 2>/dev/null | grep -qE "^idle"; then
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 1
done
echo "local-slurm: the node did not become idle; logs in $S/log" >&2
sinfo >&2 || true
tail -20 "$S/log/slurmctld.log" "$S/log/slurmd.log" >&2 || true
stop
exit 1
