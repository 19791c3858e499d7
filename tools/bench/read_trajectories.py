#!/usr/bin/python3
"""h5py read times of one particle's path and one time slice of a <prefix>_trajectories.h5.

usage: tools/bench/read_trajectories.py FILE [--whole]   (--whole: also time reading everything)
Each read is done 3 times (first = right after opening, the chunks not yet inflated by HDF5's
chunk cache; the OS page cache may hold the file, which was just written); prints RESULT lines.
"""
import sys
import time

import h5py
import numpy as np


def timed(read, reps=3):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        v = read()
        ts.append(time.perf_counter() - t0)
    return v, ts


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with h5py.File(sys.argv[1], "r") as f:
        x = f["/trajectories/x"]
        n, frames, d = x.shape
        print(f"{sys.argv[1]}: {x.shape}, chunks {x.chunks}, {x.compression} shuffle={x.shuffle}")
        for g in (0, n // 2, n - 1):
            # a fresh handle per read: HDF5's per-dataset chunk cache starts empty
            path, ts = timed(lambda: f["/trajectories/x"][g, :, :])
            assert path.shape == (frames, d)
            print(f"RESULT path g={g} shape={path.shape} first_s={ts[0]:.4f} median_s={np.median(ts):.4f}")
        for fr in (0, frames // 2, frames - 1):
            sl, ts = timed(lambda: f["/trajectories/x"][:, fr, :])
            assert sl.shape == (n, d)
            print(f"RESULT slice f={fr} shape={sl.shape} MB={sl.nbytes / 1e6:.1f} first_s={ts[0]:.4f} median_s={np.median(ts):.4f}")
        if "--whole" in sys.argv:
            whole, ts = timed(lambda: f["/trajectories/x"][...], reps=1)
            print(f"RESULT whole MB={whole.nbytes / 1e6:.1f} s={ts[0]:.3f}")


if __name__ == "__main__":
    main()
