#!/usr/bin/env bash
# Kokkos 4.x + Kokkos Kernels 4.x for checking boltzflow against the Kokkos 4 API on Debian 12.
#   tools/kokkos4-debian.sh PREFIX serial        (also: tools/build-kokkos.sh PREFIX serial --kokkos 4)
# Debian sid's trilinos source (the one with Kokkos 4) cannot be downloaded from the archive
# mirror these machines reach (its .orig.tar.gz answers 404), but sid's binary packages can:
# libtrilinos-kokkos(-kernels)-dev ship Kokkos 4.5.1 + Kokkos Kernels 4.5.1 with the Serial
# backend only (BLAS/LAPACK TPLs, ETI for double/LayoutLeft). They are built against sid's glibc
# (>= 2.38) and libstdc++ (>= 13), which bookworm lacks, so sid's libc6, libstdc++6 and libgcc-s1
# are unpacked next to them (PREFIX/runtime) and PREFIX/sid-runtime.cmake (a cmake -C file) links
# executables against that runtime: sid's dynamic loader plus an RPATH to it. Nothing is
# installed into the system; apt runs with a private configuration.
# Skips the work if PREFIX already holds a finished install.
set -euo pipefail
PREFIX=$(realpath -m "${1:?usage: kokkos4-debian.sh PREFIX serial}")
BACKEND=${2:?usage: kokkos4-debian.sh PREFIX serial}
[ "$BACKEND" = serial ] || { echo "build-kokkos: Kokkos 4 comes from Debian sid's binary packages, Serial only (got '$BACKEND')" >&2; exit 2; }
stamp="$PREFIX/.boltzflow-kokkos4-$BACKEND"
[ -f "$stamp" ] && { echo "build-kokkos: Kokkos 4 ($BACKEND) already in $PREFIX"; exit 0; }
WORK=$(mktemp -d /tmp/boltzflow-kokkos4.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/apt/lists/partial" "$WORK/apt/cache/archives/partial" "$WORK/debs/kokkos" "$WORK/debs/runtime"
echo "deb http://deb.debian.org/debian sid main" > "$WORK/apt/sources.list"
: > "$WORK/apt/status"   # an empty dpkg status: apt sees sid's versions only, not the installed 13.2
APT=(-o Dir::Etc::sourcelist="$WORK/apt/sources.list" -o Dir::Etc::sourceparts=/nonexistent
     -o Dir::State::Lists="$WORK/apt/lists" -o Dir::Cache="$WORK/apt/cache" -o Dir::State::status="$WORK/apt/status"
     -o APT::Sandbox::User=root)
apt-get "${APT[@]}" update -qq
# The runtime packages' names carry the Trilinos version (libtrilinos-kokkos-16.1): take them
# from the -dev packages' Depends.
runtime() { apt-cache "${APT[@]}" show "$1" | sed -n "s/^Depends: .*\\($2-[0-9][0-9.]*\\) (=.*/\\1/p" | head -1; }
KRT=$(runtime libtrilinos-kokkos-dev libtrilinos-kokkos)
KKRT=$(runtime libtrilinos-kokkos-kernels-dev libtrilinos-kokkos-kernels)
if [ -z "$KRT" ] || [ -z "$KKRT" ]; then echo "build-kokkos: cannot find sid's Kokkos runtime packages" >&2; exit 1; fi
fetch() {  # fetch DIR PACKAGE...: download into debs/DIR, unpack into DIR
  local dir=$1; shift
  (cd "$WORK/debs/$dir" && apt-get "${APT[@]}" download -qq "$@")
  for d in "$WORK/debs/$dir"/*.deb; do dpkg -x "$d" "$WORK/$dir"; done
}
fetch kokkos libtrilinos-kokkos-dev libtrilinos-kokkos-kernels-dev trilinos-dev "$KRT" "$KKRT"
fetch runtime libc6 libstdc++6 libgcc-s1
R="$WORK/kokkos/usr"
ver=$(sed -n 's/^#define KOKKOS_VERSION \([0-9]*\)$/\1/p' "$R/include/kokkos/KokkosCore_config.h")
[ "$((ver / 10000))" = 4 ] || { echo "build-kokkos: sid ships Kokkos $ver, not 4.x" >&2; exit 1; }

# Kokkos + Kokkos Kernels: their CMake files compute the prefix from their own location.
mkdir -p "$PREFIX/lib/x86_64-linux-gnu" "$PREFIX/runtime"
cp -a "$R/include" "$PREFIX/"
cp -a "$R"/lib/x86_64-linux-gnu/. "$PREFIX/lib/x86_64-linux-gnu/"
# sid's C and C++ runtime (loader, libc, libm, libstdc++, ...), for the executables only.
find "$WORK/runtime/usr/lib/x86_64-linux-gnu" -maxdepth 1 -name '*.so*' -exec cp -a {} "$PREFIX/runtime/" \;
L="$PREFIX/runtime"
cat > "$PREFIX/sid-runtime.cmake" <<EOF
# cmake -C file: executables run on sid's loader/glibc/libstdc++ that Kokkos 4 here was built for;
# the RPATH (kept by cmake --install) also names Kokkos' own folder so installed binaries run.
# --allow-shlib-undefined: the link itself sees bookworm's older libc, which lacks __isoc23_strtol.
set(CMAKE_EXE_LINKER_FLAGS "-Wl,--dynamic-linker=$L/ld-linux-x86-64.so.2 -Wl,--disable-new-dtags -Wl,-rpath,$L:$PREFIX/lib/x86_64-linux-gnu -Wl,--allow-shlib-undefined" CACHE STRING "" FORCE)
EOF
touch "$stamp"
echo "build-kokkos: Kokkos $ver ($KRT) + Kokkos Kernels ($KKRT), Serial, from Debian sid, in $PREFIX"
