#!/usr/bin/env bash
# Install boltzflow's build and run dependencies from Debian 12 (bookworm) packages.
# Idempotent: installs only what is missing. Must run as root (or with sudo available).
set -euo pipefail
pkgs=(build-essential cmake git pkg-config
      libtrilinos-kokkos-dev libtrilinos-kokkos-kernels-dev libopenblas-dev
      libopenmpi-dev openmpi-bin libhdf5-openmpi-dev hdf5-tools
      libboost-program-options-dev catch2 librandom123-dev
      python3 python3-numpy python3-h5py python3-matplotlib slurm-wlm munge)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
