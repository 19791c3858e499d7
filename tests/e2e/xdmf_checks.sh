#!/usr/bin/env bash
# The XDMF sidecars of real annealing_flow and fisher_rao runs: <prefix>_trajectories.xmf (ParaView's animation of the stored
# particle paths) is well-formed, has one grid per frame, and each grid's HyperSlab selects that
# frame of the HDF5 dataset; no sidecar without trajectories or with output.xdmf = false.
# annealing_flow streams its paths to <prefix>_trajectories.h5 (chunked, shuffle + deflate), which
# h5py reads one particle's path or one time slice from; the samples file links to it.
# Usage: xdmf_checks.sh BOLTZFLOW MPIEXEC "MPIEXEC_PREFLAGS"
set -uo pipefail
BIN=$1 MPI=$2 PRE=$3
PY=/usr/bin/python3   # Debian's python3-h5py / numpy; xml.etree from the standard library
W=$(mktemp -d ./xdmf.XXXXXX)
fails=0 passes=0
source "$(dirname "$0")/lib.sh"  # ok, bad
cat > "$W/d.ini" <<EOD
[run]
method = annealing_flow
quiet = true
[target]
name = gmm
dim = DIM
means = MEANS
sigmas = 0.7, 0.7
weights = 0.5, 0.5
[annealing_flow]
blocks = 2
anneal_blocks = 2
steps = 3
particles = 200
batch = 100
iterations = 10
width = 8
samples = 300
trajectories = 7
print_every = 0
[metrics]
directions = 10
EOD
sed -e 's/DIM/2/' -e 's/MEANS/-2, 0, 2, 0/' "$W/d.ini" > "$W/d2.ini"
sed -e 's/DIM/4/' -e 's/MEANS/-2, 0, 0, 1, 2, 0, 0, -1/' "$W/d.ini" > "$W/d4.ini"

# fisher_rao (linear interpolation, t from 0 to 1): paths in <prefix>_trajectories.h5 too.
cat > "$W/fr.ini" <<EOD
[run]
method = fisher_rao
quiet = true
[target]
name = gmm
dim = 2
means = -2, 0, 2, 0
sigmas = 0.7, 0.7
weights = 0.5, 0.5
[fisher_rao]
interpolation = linear
iterations = 5
batch = 16
collocation_times = 5
sample_steps = 4
samples = 50
nll_samples = 50
save_trajectories = 5
[network]
width = 8
depth = 1
[metrics]
directions = 10
EOD

# Validates PREFIX_trajectories.xmf against PREFIX_samples.h5: DATASET holds the paths, FRAMES
# of them, frame f at time f / S (S = 0: the fisher_rao time |t - t_0| from /fisher_rao/trajectory_times),
# in the file FILE the sidecar names (default: the samples file).
cat > "$W/check.py" <<'EOP'
import os, sys, xml.etree.ElementTree as ET
import h5py, numpy as np
prefix, dataset, F, S = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
expect_file = sys.argv[5] if len(sys.argv) > 5 else os.path.basename(prefix) + "_samples.h5"
xmf = prefix + "_trajectories.xmf"
root = ET.parse(xmf).getroot()  # raises on malformed XML
coll = root.find("Domain/Grid")
assert coll.get("GridType") == "Collection" and coll.get("CollectionType") == "Temporal", coll.attrib
grids = coll.findall("Grid")
with h5py.File(prefix + "_samples.h5", "r") as h:
    traj = h[dataset][...]
    samples = h["/samples/x"][...]
    tt = h["/fisher_rao/trajectory_times"][...] if S == 0 else None
n, frames, d = traj.shape
g = min(d, 3)
assert len(grids) == frames == F, (len(grids), traj.shape)
times = []
for f, grid in enumerate(grids):
    times.append(float(grid.find("Time").get("Value")))
    assert int(grid.find("Topology").get("NumberOfElements")) == n
    geo = grid.find("Geometry")
    assert geo.get("GeometryType") == ("XY" if g == 2 else "XYZ"), geo.attrib
    slab = geo.find("DataItem")
    assert slab.get("ItemType") == "HyperSlab"
    sel, src = slab.findall("DataItem")
    start, stride, count = np.array(sel.text.split(), dtype=int).reshape(3, 3)
    fname, dset = src.text.strip().split(":")
    assert dset == dataset and fname == expect_file, (fname, dset)
    path = os.path.join(os.path.dirname(xmf), fname)  # relative to the .xmf, as ParaView reads it
    with h5py.File(path, "r") as h:
        assert [int(v) for v in src.get("Dimensions").split()] == list(h[dset].shape)
        stop = start + stride * (count - 1)
        assert all(stop < h[dset].shape), (f, start, stride, count)  # a frame that exists
        got = h[dset][start[0]:stop[0] + 1:stride[0], start[1]:stop[1] + 1:stride[1], start[2]:stop[2] + 1:stride[2]]
    assert got.size == n * g and np.array_equal(got.reshape(n, g), traj[:, f, :g]), f
# annealing_flow: block k ends at time k; the last frame is where the first samples end.
assert np.allclose(times, np.arange(frames) / S if S else np.abs(tt - tt[0])), times
assert np.allclose(traj[:, -1, :], samples[:n], rtol=1e-12, atol=1e-12)
print(f"{len(grids)} frames of {n} particles, d = {d}")
EOP

# PREFIX_trajectories.h5 read the way a user would: N paths, chunks of one frame, shuffle +
# deflate; one particle's path and one time slice agree with the whole array and the samples.
cat > "$W/paths.py" <<'EOP'
import sys, h5py, numpy as np
prefix, N, F, S = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with h5py.File(prefix + "_trajectories.h5", "r") as h, h5py.File(prefix + "_samples.h5", "r") as s:
    x = h["/trajectories/x"]
    n, frames, d = x.shape
    assert (n, frames) == (N, F), x.shape
    assert x.chunks[1:] == (1, d) and 0 < x.chunks[0] <= n, x.chunks
    assert x.compression == "gzip" and x.shuffle, (x.compression, x.shuffle)
    assert np.allclose(h["/trajectories/times"][...], np.arange(F) / S)
    whole = x[...]
    g, f = n // 2, F // 2
    path, frame = x[g, :, :], x[:, f, :]  # one particle's path, one time slice
    assert path.shape == (F, d) and np.array_equal(path, whole[g]), g
    assert frame.shape == (n, d) and np.array_equal(frame, whole[:, f]), f
    assert np.array_equal(x[:, -1, :], s["/samples/x"][:n])  # the last frame is where the samples end
    assert np.array_equal(s["/trajectories/x"][g], path)   # the samples file's external link
    assert s["/trajectories"].attrs["file"].decode() == prefix.split("/")[-1] + "_trajectories.h5"
    print(f"{n} paths x {frames} frames x {d}, chunks {x.chunks}, {x.id.get_storage_size()} of {whole.nbytes} bytes")
EOP

run() { $MPI -n "$1" $PRE "$BIN" "${@:2}" > "$W/log" 2>&1 || { cat "$W/log"; bad "run failed: ${*:2}"; }; }
run 1 "$W/d2.ini" --output.prefix="$W/a"
if out=$($PY "$W/check.py" "$W/a" /trajectories/x 7 3 a_trajectories.h5 2>&1); then ok "d = 2, 1 rank: $out"; else bad "d = 2: $out"; fi
if out=$($PY "$W/paths.py" "$W/a" 7 7 3 2>&1); then ok "trajectory file, 1 rank: $out"; else bad "trajectory file: $out"; fi
[ -s "$W/a_samples.xmf" ] && ok "samples sidecar still written" || bad "no a_samples.xmf"
[ ! -e "$W/a_trajectories.xmf.tmp" ] && ok "no .tmp left" || bad "a_trajectories.xmf.tmp left"
run 2 "$W/d4.ini" --output.prefix="$W/b" --annealing_flow.trajectories=300  # every sample, from both ranks
if out=$($PY "$W/check.py" "$W/b" /trajectories/x 7 3 b_trajectories.h5 2>&1); then ok "d = 4 (first 3 shown), 2 ranks: $out"; else bad "d = 4: $out"; fi
if out=$($PY "$W/paths.py" "$W/b" 300 7 3 2>&1); then ok "trajectory file of all samples, 2 ranks: $out"; else bad "all samples: $out"; fi
run 2 "$W/fr.ini" --output.prefix="$W/f"
if out=$($PY "$W/check.py" "$W/f" /trajectories/x 5 0 f_trajectories.h5 2>&1); then ok "fisher_rao, 2 ranks: $out"; else bad "fisher_rao: $out"; fi
sed 's/interpolation = linear/interpolation = gradient_flow\ntime_groups = 4/' "$W/fr.ini" > "$W/gf.ini"  # t runs 0.999 -> 0.001
run 1 "$W/gf.ini" --output.prefix="$W/g"
if out=$($PY "$W/check.py" "$W/g" /trajectories/x 5 0 g_trajectories.h5 2>&1); then ok "fisher_rao gradient_flow, increasing time: $out"; else bad "gradient_flow: $out"; fi
run 1 "$W/d2.ini" --output.prefix="$W/c" --annealing_flow.trajectories=0
[ -e "$W/c_samples.h5" ] && [ ! -e "$W/c_trajectories.xmf" ] && [ ! -e "$W/c_trajectories.h5" ] && ok "no trajectories, no sidecar" || bad "trajectories = 0"
run 1 "$W/d2.ini" --output.prefix="$W/e" --output.xdmf=false
[ -e "$W/e_samples.h5" ] && [ ! -e "$W/e_trajectories.xmf" ] && [ -e "$W/e_trajectories.h5" ] && ok "output.xdmf = false: no sidecar, paths still stored" || bad "output.xdmf = false"
ls "$W"/*.tmp >/dev/null 2>&1 && bad "temporary files left: $(ls "$W"/*.tmp)" || ok "no temporary files left"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ] && [ -z "${KEEP:-}" ] && rm -rf "$W"
[ "$fails" -eq 0 ]
