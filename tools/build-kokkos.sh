#!/usr/bin/env bash
# Build Kokkos + Kokkos Kernels 3.4.01 with the OpenMP or CUDA backend from Debian's own
# trilinos 13.2 source package (Debian ships only the Serial backend) and install under PREFIX.
#   tools/build-kokkos.sh PREFIX openmp|cuda
#   tools/build-kokkos.sh PREFIX serial --kokkos 4   Kokkos 4.x instead: tools/kokkos4-debian.sh
# Skips the work if PREFIX already holds a finished install of that backend.
# CUDA 13 needs three small source fixes (see shared/gpu/README.md): Kokkos' CUDA half_t
# wrapper, the new cudaMemPrefetchAsync signature, and running sm_80 PTX on newer GPUs.
set -euo pipefail
if [ "${3:-}" = --kokkos ]; then
  [ "${4:-}" = 4 ] || { echo "build-kokkos: --kokkos takes 4 (3.4 is the default)" >&2; exit 2; }
  exec bash "$(dirname "$0")/kokkos4-debian.sh" "${1:?usage: build-kokkos.sh PREFIX serial --kokkos 4}" "${2:?usage: build-kokkos.sh PREFIX serial --kokkos 4}"
fi
PREFIX=$(realpath -m "${1:?usage: build-kokkos.sh PREFIX openmp|cuda}")
BACKEND=${2:?usage: build-kokkos.sh PREFIX openmp|cuda}
stamp="$PREFIX/.boltzflow-kokkos-$BACKEND"
[ -f "$stamp" ] && { echo "build-kokkos: $BACKEND Kokkos already in $PREFIX"; exit 0; }
case "$BACKEND" in openmp|cuda) ;; *) echo "build-kokkos: unknown backend '$BACKEND' (openmp|cuda)" >&2; exit 2 ;; esac
WORK=$(mktemp -d /tmp/boltzflow-kokkos.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
J=$(nproc)

# Debian's source archive through a private apt configuration (the system's is untouched).
mkdir -p "$WORK/apt/lists/partial" "$WORK/apt/cache/archives/partial" "$WORK/src"
echo "deb-src http://deb.debian.org/debian bookworm main" > "$WORK/apt/sources.list"
APT=(-o Dir::Etc::sourcelist="$WORK/apt/sources.list" -o Dir::Etc::sourceparts=/nonexistent
     -o Dir::State::Lists="$WORK/apt/lists" -o Dir::Cache="$WORK/apt/cache")
apt-get "${APT[@]}" update -qq
(cd "$WORK/src" && apt-get "${APT[@]}" source --download-only -qq trilinos=13.2.0-4 >/dev/null 2>&1)
tar xzf "$WORK"/src/trilinos_13.2.0.orig.tar.gz -C "$WORK/src" --wildcards '*/packages/kokkos/*' '*/packages/kokkos-kernels/*'
K=$(echo "$WORK"/src/Trilinos-*/packages/kokkos)
KK=$(echo "$WORK"/src/Trilinos-*/packages/kokkos-kernels)
chmod +x "$K"/bin/*

if [ "$BACKEND" = cuda ]; then
  sed -i 's/^#ifdef KOKKOS_ENABLE_CUDA$/#if defined(KOKKOS_ENABLE_CUDA) \&\& 0/' "$K/core/src/Cuda/Kokkos_Cuda_Half.hpp"
  python3 "$(dirname "$0")/patch-kokkos-cuda13.py" "$K/core/src/Cuda/Kokkos_CudaSpace.cpp"
  sed -i 's/    if (compiled_major != cudaProp.major || compiled_minor > cudaProp.minor) {/    if (compiled_major > cudaProp.major || (compiled_major == cudaProp.major \&\& compiled_minor > cudaProp.minor)) {/' \
    "$K/core/src/Cuda/Kokkos_Cuda_Instance.cpp"
  sed -i 's/^default_arch="sm_35"/default_arch="sm_80"/' "$K/bin/nvcc_wrapper"
  mkdir -p "$PREFIX/bin" && cp "$K/bin/nvcc_wrapper" "$PREFIX/bin/"
  CORE=(-DKokkos_ENABLE_CUDA=ON -DKokkos_ENABLE_CUDA_LAMBDA=ON -DKokkos_ARCH_AMPERE80=ON -DCMAKE_CXX_COMPILER="$PREFIX/bin/nvcc_wrapper")
  KERN=(-DCMAKE_CXX_COMPILER="$PREFIX/bin/nvcc_wrapper" -DKokkosKernels_ENABLE_TPL_CUBLAS=ON)
else
  CORE=(-DKokkos_ENABLE_OPENMP=ON); KERN=()
fi
cmake -S "$K" -B "$WORK/k" -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_STANDARD=17 \
      -DKokkos_ENABLE_SERIAL=ON "${CORE[@]}" > "$WORK/k.log"
cmake --build "$WORK/k" -j"$J" > "$WORK/k-build.log"
cmake --install "$WORK/k" > /dev/null
# Kokkos Kernels header-only (no ETI) with the BLAS TPL (and cuBLAS for CUDA): GEMMs go to a real BLAS.
cmake -S "$KK" -B "$WORK/kk" -DKokkos_ROOT="$PREFIX" -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_BUILD_TYPE=Release \
      "${KERN[@]}" -DKokkosKernels_ENABLE_TPL_BLAS=ON -DKokkosKernels_ENABLE_TPL_CUSPARSE=OFF \
      -DKokkosKernels_ADD_DEFAULT_ETI=OFF -DKokkosKernels_INST_DOUBLE=OFF -DKokkosKernels_INST_FLOAT=OFF \
      -DKokkosKernels_INST_COMPLEX_DOUBLE=OFF -DKokkosKernels_INST_COMPLEX_FLOAT=OFF \
      -DKokkosKernels_INST_LAYOUTLEFT=OFF -DKokkosKernels_INST_OFFSET_INT=OFF -DKokkosKernels_INST_OFFSET_SIZE_T=OFF \
      -DKokkosKernels_INST_ORDINAL_INT=OFF -DKokkosKernels_ENABLE_TESTS=OFF > "$WORK/kk.log"
cmake --build "$WORK/kk" -j"$J" > "$WORK/kk-build.log"
cmake --install "$WORK/kk" > /dev/null
touch "$stamp"
echo "build-kokkos: $BACKEND Kokkos + Kokkos Kernels installed in $PREFIX"
