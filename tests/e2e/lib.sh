# Shared helpers of the end-to-end scripts (sourced, not run). Each script calls
# e2e_init NAME first and ends with e2e_finish; KEEP=1 keeps its work folder.
# The checkpoint helpers expect BIN, MPIEXEC and PRE (mpirun's pre-flags) to be set.

e2e_init() {  # e2e_init NAME: a fresh work folder $W and the pass/fail counters
  W=$(realpath "$(mktemp -d "./$1.XXXXXX")")
  fails=0 passes=0
}
ok()  { passes=$((passes + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
e2e_finish() {  # the summary line; the work folder is removed when everything passed
  echo "$passes passed, $fails failed"
  if [ "$fails" -eq 0 ] && [ -z "${KEEP:-}" ]; then rm -rf "$W"; else echo "kept $W"; fi
  [ "$fails" -eq 0 ]
}

wait_file() {  # wait_file FILE [SECONDS=30]: returns 1 if FILE did not appear in time
  local n=$(( ${2:-30} * 20 ))
  for _ in $(seq "$n"); do [ -f "$1" ] && return 0; sleep 0.05; done
  return 1
}
since() { awk "BEGIN { print $(date +%s.%N) - $1 }"; }  # seconds since a $(date +%s.%N) stamp

h5_int_attr() {  # h5_int_attr FILE /PATH/ATTR: an integer attribute, or nothing
  h5dump -a "$2" "$1" 2>/dev/null | sed -n 's/^ *(0): *\([0-9]*\).*/\1/p'
}

same_h5() {  # same_h5 NAME A B DATASET...: every DATASET bit-identical in A and B
  local name=$1 a=$2 b=$3 ds; shift 3
  for ds in "$@"; do
    if ! h5diff "$a" "$b" "$ds" >/dev/null 2>&1; then bad "$name: $ds differs from the uninterrupted run"; return; fi
  done
  ok "$name: $* identical to the uninterrupted run"
}

# A node crash while PREFIX's run is going: SIGKILL to mpirun's process group and to every rank
# (Open MPI puts ranks in process groups of their own), then wait until none is left.
kill_run() {  # kill_run PID PREFIX
  kill -KILL -- -"$1" 2>/dev/null; pkill -KILL -f -- "--output.prefix=$2" 2>/dev/null; wait "$1" 2>/dev/null
  while pgrep -f -- "--output.prefix=$2" >/dev/null; do sleep 0.1; done
}

# check_sigkill_restart NAME DECK NP "DATASETS" RESUMED [ARGS...]: a reference run, then a run
# SIGKILLed at a random moment after its first checkpoint and restarted with run.restart=auto;
# the restart log must match the regex RESUMED and DATASETS of the two outputs must be identical.
check_sigkill_restart() {
  local name=$1 deck=$2 np=$3 datasets=$4 resumed=$5; shift 5
  local ref="$W/${name}_ref" kill="$W/${name}_kill" pid
  $MPIEXEC -n "$np" $PRE "$BIN" "$deck" "$@" --output.prefix="$ref" > "$ref.log" 2>&1 \
    || { bad "$name: reference run failed: $(tail -3 "$ref.log")"; return; }
  setsid $MPIEXEC -n "$np" $PRE "$BIN" "$deck" "$@" --output.prefix="$kill" > "$kill.log" 2>&1 &
  pid=$!
  wait_file "${kill}_checkpoint.h5" 60 || bad "$name: no checkpoint appeared"
  sleep "0.$((RANDOM % 5))"
  kill_run "$pid" "$kill"
  [ -f "${kill}_samples.h5" ] && echo "note: $name: the run finished before the kill"
  rm -f "${kill}_samples.h5"
  $MPIEXEC -n "$np" $PRE "$BIN" "$deck" "$@" --output.prefix="$kill" --run.restart=auto --run.quiet=false \
    > "$kill.restart.log" 2>&1 || { bad "$name: restart after SIGKILL failed: $(grep -v " = " "$kill.restart.log" | tail -5)"; return; }
  local where; where=$(grep -Eo "$resumed" "$kill.restart.log" | head -1)
  [ -n "$where" ] && ok "$name: SIGKILL, restart: $where" || bad "$name: no '$resumed' in the restart log"
  # shellcheck disable=SC2086
  same_h5 "$name: SIGKILL + restart" "${ref}_samples.h5" "${kill}_samples.h5" $datasets
}

# check_signal_stop NAME SIGNAL DECK NP [ARGS...]: SIGNAL (TERM or USR1) to mpirun (np > 1, which
# forwards it to the ranks) or to the single process, mid-run: exit status 4 within 5 s, a
# checkpoint, "stopped by signal" on stderr, no samples file. Leaves $W/NAME_checkpoint.h5 behind.
check_signal_stop() {
  local name=$1 sig=$2 deck=$3 np=$4; shift 4
  local p="$W/$name" pid rc t0 dt
  if [ "$np" -gt 1 ]; then $MPIEXEC -n "$np" $PRE "$BIN" "$deck" "$@" --output.prefix="$p" > "$p.log" 2>&1 &
  else "$BIN" "$deck" "$@" --output.prefix="$p" > "$p.log" 2>&1 & fi
  pid=$!
  wait_file "${p}_checkpoint.h5" 60 || bad "$name: no checkpoint appeared"
  sleep 0.2
  t0=$(date +%s.%N); kill -"$sig" "$pid"; wait "$pid"; rc=$?; dt=$(since "$t0")
  if [ "$rc" -eq 4 ] && grep -q "stopped by signal" "$p.log" && [ ! -f "${p}_samples.h5" ] && awk "BEGIN { exit !($dt < 5) }"; then
    ok "$name: SIG$sig: exit 4 after ${dt}s, checkpoint written, no samples file"
  else bad "$name: SIG$sig: rc=$rc after ${dt}s: $(tail -5 "$p.log")"; fi
}

# deck_head METHOD SEED CHECKPOINT_EVERY [MEANS SIGMAS WEIGHTS]: the [run] and [target] sections
# of the small decks: a 2-D mixture of two Gaussians (default modes at (±2, 0), unit widths,
# weights 0.4 / 0.6). The caller appends its method's section.
deck_head() {
  cat <<EOD
[run]
method = $1
seed = $2
quiet = true
checkpoint_every = $3
[target]
name = gmm
dim = 2
means = ${4:--2, 0, 2, 0}
sigmas = ${5:-1, 1}
weights = ${6:-0.4, 0.6}
EOD
}

# deck_tail [WIDTH]: the closing sections of the e2e decks: [network] WIDTH x 2 (when given)
# and [metrics] off (the restart checks compare sampler outputs, not the report).
deck_tail() {
  if [ -n "${1:-}" ]; then printf '[network]\nwidth = %s\ndepth = 2\n' "$1"; fi
  printf '[metrics]\nenabled = false\n'
}
