#!/usr/bin/env bash
# Installs a configured and built boltzflow build tree into a temporary prefix and builds and
# runs a tiny consumer project against it with find_package(boltzflow): proves the exported
# package works from outside the source tree.
#   usage: tools/check-install.sh BUILD_DIR [MPIEXEC [PREFLAGS]]
set -euo pipefail
build=$(cd "$1" && pwd)
mpiexec=${2:-mpirun}
pre=${3:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/boltzflow-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log" || { cat "$work/install.log"; exit 1; }
test -x "$work/prefix/bin/boltzflow" || { echo "check-install: no bin/boltzflow in the prefix"; exit 1; }
test -f "$work/prefix/lib/cmake/boltzflow/boltzflowConfig.cmake" ||
  test -n "$(ls "$work"/prefix/lib*/cmake/boltzflow/boltzflowConfig.cmake 2>/dev/null)" ||
  { echo "check-install: no boltzflowConfig.cmake"; exit 1; }

mkdir -p "$work/app"
cat > "$work/app/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.16)
project(boltzflow_consumer CXX C)
set(CMAKE_CXX_STANDARD 17)
find_package(boltzflow 0.1 REQUIRED)
add_executable(consumer main.cpp)
target_link_libraries(consumer PRIVATE boltzflow::core)
CM
# The consumer builds a target from deck text and checks one energy against its closed form:
# a standard normal in 2-D (gmm with one component), U(0) = log 2π.
cat > "$work/app/main.cpp" <<'CPP'
#include <mpi.h>

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdio>

#include "boltzflow/targets/Factory.hpp"

int main(int argc, char* argv[]) {
  MPI_Init(&argc, &argv);
  int rc = 1;
  {
    Kokkos::ScopeGuard guard(argc, argv);
    namespace config = boltzflow::config;
    config::po::options_description d;
    boltzflow::add_target_options(d);
    const auto o = config::Options::parse(d, "[target]\nname = gmm\nweights = 1\nmeans = 0, 0\nsigmas = 1\n", {});
    const auto t = boltzflow::make_target(o);
    boltzflow::Particles x("x", 1, 2);
    boltzflow::Scalars U("U", 1);
    t->energy(x, U);
    auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), U);
    const double want = std::log(2 * M_PI);
    std::printf("consumer: U(0) = %.12f (want %.12f)\n", h(0), want);
    rc = std::abs(h(0) - want) < 1e-12 ? 0 : 1;
  }
  MPI_Finalize();
  return rc;
}
CPP
cached() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
# The consumer is built like the package: same compiler, Kokkos and link flags (the Kokkos 4
# check links executables against the runtime its Kokkos needs, see tools/kokkos4-debian.sh).
cmake -S "$work/app" -B "$work/app/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_COMPILER="$(cached CMAKE_CXX_COMPILER)" \
      -DCMAKE_EXE_LINKER_FLAGS="$(cached CMAKE_EXE_LINKER_FLAGS)" \
      -DKokkos_ROOT="$(cached Kokkos_DIR)" -DKokkosKernels_ROOT="$(cached KokkosKernels_DIR)" \
      > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/app/build" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
# shellcheck disable=SC2086
"$mpiexec" -n 1 $pre "$work/app/build/consumer"
"$work/prefix/bin/boltzflow" --version
# Shipped data are installed and found through the installed data folder.
data="$work/prefix/share/boltzflow/inputs/data"
test -f "$data/gmm40_means.csv" && test -f "$data/breast_cancer.csv" || { echo "check-install: no data files in $data"; exit 1; }
cd "$work"
printf '[run]\nmethod = mala\nquiet = true\n[target]\nname = gmm40\n[mcmc]\nchains = 40\nwarmup = 10\nsteps = 10\n[metrics]\nenabled = false\n' > deck.ini
msg=$("$work/prefix/bin/boltzflow" deck.ini --target.name=logistic --target.logistic_data=inputs/data/nope.csv \
      --output.prefix="$work/run" 2>&1) && { echo "check-install: a missing data file was accepted"; exit 1; }
grep -q "$work/prefix/share/boltzflow" <<<"$msg" || { echo "check-install: the installed data folder is not searched: $msg"; exit 1; }
"$work/prefix/bin/boltzflow" deck.ini --output.prefix="$work/run" > run.log 2>&1 && test -f "$work/run_samples.h5" \
  || { echo "check-install: the installed binary failed on gmm40 (installed means file):"; cat run.log; exit 1; }
echo "check-install: data files installed in $data and found by the installed binary"
echo "check-install: find_package(boltzflow) consumer built and ran"
