#!/usr/bin/python3
"""Print a boltzflow HDF5 file's layout: groups, datasets (shape, dtype), attributes and metrics.

usage: tools/h5_summary.py FILE.h5 [--samples N]   (N: also print the first N sample rows)
"""
import sys

import h5py
import numpy as np


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    n_show = int(sys.argv[sys.argv.index("--samples") + 1]) if "--samples" in sys.argv else 0
    with h5py.File(sys.argv[1], "r") as f:
        def show(name, obj):
            if isinstance(obj, h5py.Dataset):
                print(f"  /{name:<32} {str(obj.shape):<14} {obj.dtype}")
            else:
                print(f"  /{name}/")
        print(f"{sys.argv[1]}:")
        f.visititems(show)
        for group in ("meta", "metrics"):
            if group in f:
                print(f"[{group}]")
                for k, v in f[group].attrs.items():
                    v = v.decode() if isinstance(v, bytes) else v
                    print(f"  {k:<30} {v}")
        if n_show and "samples/x" in f:
            print(np.asarray(f["samples/x"][:n_show]))


if __name__ == "__main__":
    main()
