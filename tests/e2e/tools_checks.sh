#!/usr/bin/env bash
# The post-processing tools on a small real output: plots, diagnostics, metrics table, summary,
# posterior comparison.
# Usage: tools_checks.sh BOLTZFLOW SOURCE_DIR
set -uo pipefail
BIN=$1 SRC=$2
PY=/usr/bin/python3   # Debian's python3-h5py / numpy / matplotlib
W=$(mktemp -d ./tools.XXXXXX)
fails=0 passes=0
source "$(dirname "$0")/lib.sh"  # ok, bad
cat > "$W/d.ini" <<EOD
[run]
method = mala
quiet = true
[target]
name = gmm
dim = 2
means = -2, 0, 2, 0
sigmas = 0.5, 0.5
weights = 0.5, 0.5
[mcmc]
chains = 500
warmup = 100
steps = 100
[metrics]
directions = 50
EOD
"$BIN" "$W/d.ini" --output.prefix="$W/run" > /dev/null || bad "run failed"
"$BIN" "$W/d.ini" --output.prefix="$W/ref" --mcmc.init=exact --mcmc.warmup=0 --mcmc.steps=0 > /dev/null || bad "exact-sample run failed"
png_ok() { [ -s "$1" ] && head -c 8 "$1" | od -An -c | grep -q "P   N   G"; }
if $PY "$SRC/tools/plot_samples.py" "$W/run_samples.h5" "$W/s.png" --reference "$W/ref_samples.h5" > /dev/null && png_ok "$W/s.png"; then
  ok "plot_samples: PNG written"; else bad "plot_samples"; fi
if $PY "$SRC/tools/plot_diagnostics.py" "$W/d.png" "$W/run_samples.h5" | grep -q "acceptance" && png_ok "$W/d.png"; then
  ok "plot_diagnostics: PNG with acceptance"; else bad "plot_diagnostics"; fi
tab=$($PY "$SRC/tools/metrics_table.py" "$W/run_samples.h5" "$W/ref_samples.h5" --keys energy_distance,acceptance_rate)
if [ "$(grep -c '^| .*_samples.h5 | mala | gmm' <<<"$tab")" -eq 2 ]; then ok "metrics_table: 2 rows"; else bad "metrics_table: $tab"; fi
if $PY "$SRC/tools/h5_summary.py" "$W/run_samples.h5" > "$W/summary.txt" && grep -q "/samples/x" "$W/summary.txt"; then ok "h5_summary"; else bad "h5_summary"; fi
cmp=$($PY "$SRC/tools/posterior_compare.py" "$W/ref_samples.h5" "$W/ref_samples.h5")
if grep -q "^| x_1 | .* | +0.00 | .* | 1.000 |" <<<"$cmp" && grep -q "max |z| = 0.00" <<<"$cmp"; then
  ok "posterior_compare: a file against itself gives z = 0, std ratio 1"; else bad "posterior_compare self: $cmp"; fi
cmp=$($PY "$SRC/tools/posterior_compare.py" "$W/ref_samples.h5" "$W/run_samples.h5" --weighted)
if [ "$(grep -c '^| x_[01] | ' <<<"$cmp")" -eq 2 ] && grep -q "unweighted" <<<"$cmp"; then
  ok "posterior_compare: 2 coordinate rows, MCMC stays unweighted"; else bad "posterior_compare: $cmp"; fi
if ! $PY "$SRC/tools/posterior_compare.py" "$W/ref_samples.h5" "$W/run_samples.h5" --labels a > /dev/null 2>&1; then
  ok "posterior_compare: wrong label count rejected"; else bad "posterior_compare accepted 1 label for d = 2"; fi
out=$($PY "$SRC/tools/plot_samples.py" "$W/nope.h5" "$W/x.png" 2>&1); rc=$?
if [ $rc -ne 0 ] && grep -q "nope.h5" <<<"$out" && [ ! -e "$W/x.png" ]; then ok "missing file: error naming it, no PNG"; else bad "missing file: $out"; fi
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ] && [ -z "${KEEP:-}" ] && rm -rf "$W"
[ "$fails" -eq 0 ]
