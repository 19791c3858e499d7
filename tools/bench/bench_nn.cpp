// Benchmark of the jet MLP (see tools/bench/README.md): a training step of
//   velocity: v(x,t) with exact divergence (forward for v and div, then vjp with random
//             cotangents on v and div), and
//   energy:   f(x,t) with gradient and Laplacian (evaluate, then vjp with cotangents on f, ∇f, Δf),
// timed against the bare GEMMs those steps issue, replayed in the same run with the same
// shapes, transposes and leading dimensions (so step/GEMM = 1 means no overhead at all).
// Also times one plain GEMM through KokkosBlas and, on host memory, through the BLAS library
// directly: equal rates show that the products reach the BLAS TPL, not the native fallback.
#include <Kokkos_Core.hpp>
#include <Kokkos_Timer.hpp>
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/EnergyMlp.hpp"
#include "boltzflow/nn/Gemm.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"

extern "C" {
void dgemm_(const char*, const char*, const int*, const int*, const int*, const double*, const double*, const int*,
            const double*, const int*, const double*, double*, const int*) __attribute__((weak));
void sgemm_(const char*, const char*, const int*, const int*, const int*, const float*, const float*, const int*,
            const float*, const int*, const float*, float*, const int*) __attribute__((weak));
// Present only when the loaded BLAS is OpenBLAS: proves which library the products reach.
char* openblas_get_config() __attribute__((weak));
int openblas_get_num_threads() __attribute__((weak));
}

using namespace boltzflow;
using namespace boltzflow::nn;

namespace {

struct Case {
  int d, width, depth, batch;
};

struct Args {
  int max_batch = 1 << 30;
  int reps = 3;
  bool use_float = false;
  Activation activation = Activation::tanh;
  std::vector<int> cases;  // indices into the case list; empty = all
  bool velocity = true, energy = true;
  int profile = 0;  // > 0: only run that many steps per row (no timing, no replay), for a profiler
  bool per_product = false;  // also print the replay time of every product of a step
};

void usage() {
  std::puts(
      "bench_nn [--max-batch N] [--reps N] [--float] [--activation tanh|softplus|silu]\n"
      "         [--case I]... [--velocity-only | --energy-only] [--clock wall|cpu] [--profile N] [--per-product]\n"
      "cases: 0 = (d, width, depth, batch) (2, 64, 3, 4096), 1 = (32, 256, 3, 16384), 2 = (50, 256, 3, 16384);\n"
      "--max-batch caps the batch (CPU: e.g. 1024 for the width-256 cases);\n"
      "--profile N only runs N steps per row (for perf/callgrind: no reference GEMM, no replay).");
}

template <class V>
void fill_normal(const V& v, std::uint64_t seed, double scale) {
  using T = typename V::non_const_value_type;
  const Kokkos::View<T*, MemSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> flat(v.data(), v.span());
  const Rng rng(seed, Stream::metrics);
  Kokkos::parallel_for(
      "boltzflow::bench::fill", Kokkos::RangePolicy<ExecSpace>(0, flat.extent(0)),
      KOKKOS_LAMBDA(const int i) { flat(i) = T(scale * rng.normal(i, 0, 0)); });
}

// Wall clock, or this process's CPU time: on a machine shared with other busy processes a
// single-threaded run's CPU time is the work it did, its wall time also counts waiting.
bool& use_cpu_clock() {
  static bool cpu = false;
  return cpu;
}
double now() {
  timespec ts;
  clock_gettime(use_cpu_clock() ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

// Seconds per call of f, best of `reps` after one warm-up call.
template <class F>
double best_seconds(int reps, F&& f) {
  f();
  Kokkos::fence();
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    const double t0 = now();
    f();
    Kokkos::fence();
    best = std::min(best, now() - t0);
  }
  return best;
}

// n calls of f and nothing else (what a profiler should see).
template <class F>
void profile(int n, F&& f) {
  for (int i = 0; i < n; ++i) f();
  Kokkos::fence();
}

// The products recorded during one call of f.
template <class F>
std::vector<gemm::Call> record(F&& f) {
  std::vector<gemm::Call> calls;
  gemm::call_log() = &calls;
  f();
  Kokkos::fence();
  gemm::call_log() = nullptr;
  return calls;
}

// Seconds to issue the recorded products on scratch operands of the same shapes.
template <class Scalar>
double replay_seconds(const std::vector<gemm::Call>& calls, int reps) {
  std::size_t na = 1, nb = 1, nc = 1;
  for (const auto& c : calls) {
    na = std::max(na, std::size_t(c.lda) * (c.ta == 'N' ? c.k : c.m));
    nb = std::max(nb, std::size_t(c.ldb) * (c.tb == 'N' ? c.n : c.k));
    nc = std::max(nc, std::size_t(c.ldc) * c.n);
  }
  Vector<Scalar> A("A", na), B("B", nb), C("C", nc);
  fill_normal(A, 1, 0.1);
  fill_normal(B, 2, 0.1);
  using CM = gemm::ColMajor<Scalar>;
  const auto view = [](const Vector<Scalar>& buf, int ld, int rows, int cols) {
    return Kokkos::subview(CM(buf.data(), ld, cols), Kokkos::make_pair(0, rows), Kokkos::ALL());
  };
  return best_seconds(reps, [&]() {
    for (const auto& c : calls) {
      const CM a = c.ta == 'N' ? view(A, c.lda, c.m, c.k) : view(A, c.lda, c.k, c.m);
      const CM b = c.tb == 'N' ? view(B, c.ldb, c.k, c.n) : view(B, c.ldb, c.n, c.k);
      gemm::product<Scalar>(c.ta, c.tb, 1, a, b, Scalar(c.beta), view(C, c.ldc, c.m, c.n));
    }
  });
}

// Every product of a step on its own: where the GEMM time goes.
template <class Scalar>
void print_products(const std::vector<gemm::Call>& calls, int reps) {
  for (const auto& c : calls) {
    const double s = replay_seconds<Scalar>({c}, reps);
    std::printf("  product %c%c m=%d n=%d k=%d lda=%d ldb=%d ldc=%d beta=%g: %.3f ms, %.2f GFLOP/s\n", c.ta, c.tb, c.m,
                c.n, c.k, c.lda, c.ldb, c.ldc, c.beta, 1e3 * s, c.flops() * 1e-9 / s);
  }
}

double flops(const std::vector<gemm::Call>& calls) {
  double f = 0;
  for (const auto& c : calls) f += c.flops();
  return f;
}

void print_header() {
  std::printf("%-16s %-8s %6s %10s %12s %9s %9s %10s %9s %9s %7s %7s\n", "case(d,w,L)", "step", "batch", "step_ms",
              "particles/s", "GF/step", "GFLOP/s", "gemm_ms", "gemmGF/s", "step/gemm", "%dgemm", "n_gemm");
}

// GFLOP/s counts the GEMM flops of the step only (the elementwise jet work is not counted),
// so GFLOP/s / reference DGEMM rate is the fraction of the BLAS peak the whole step reaches.
// A "RESULT" line per row, key=value, is what tools/bench/run_cpu_bench.sh parses.
void print_row(const Case& c, const char* kind, int batch, double step, const std::vector<gemm::Call>& calls,
               double gemm_time, double ref_gflops) {
  char name[64];
  std::snprintf(name, sizeof name, "(%d,%d,%d)", c.d, c.width, c.depth);
  const double f = flops(calls);
  const double rate = f * 1e-9 / step;
  std::printf("%-16s %-8s %6d %10.2f %12.4g %9.3f %9.2f %10.2f %9.2f %9.2f %6.1f%% %7zu\n", name, kind, batch,
              1e3 * step, batch / step, f * 1e-9, rate, 1e3 * gemm_time, f * 1e-9 / gemm_time, step / gemm_time,
              100 * rate / ref_gflops, calls.size());
  std::printf("RESULT impl=boltzflow clock=%s kind=%s d=%d width=%d depth=%d batch=%d step_s=%.6e "
              "particles_per_s=%.6e gflop_per_step=%.6e gflops=%.4f gemm_s=%.6e step_over_gemm=%.4f "
              "ref_dgemm_gflops=%.4f\n",
              use_cpu_clock() ? "cpu" : "wall", kind, c.d, c.width, c.depth, batch, step, batch / step, f * 1e-9, rate,
              gemm_time, step / gemm_time, ref_gflops);
  std::fflush(stdout);
}

template <class Scalar>
void run_case(const Case& c, const Args& a, double ref_gflops) {
  using Mat = Matrix<Scalar>;
  using Vec = Vector<Scalar>;
  const int B = std::min(c.batch, a.max_batch), d = c.d;
  MlpShape s;
  s.dim = d;
  s.width = c.width;
  s.depth = c.depth;
  s.activation = a.activation;
  s.softplus_beta = 20;
  s.time = TimeInput::linear;
  const Scalar t = Scalar(0.5);
  Mat x("x", B, d), gx("gx", B, d);
  fill_normal(x, 3, 1.0);
  if (a.velocity) {
    VelocityMlp<Scalar> net(s, 7, false);
    Mat v("v", B, d), gv("gv", B, d);
    Vec div("div", B), gdiv("gdiv", B), gp("gp", net.num_params());
    fill_normal(gv, 4, 1.0 / B);
    fill_normal(gdiv, 5, 1.0 / B);
    const typename VelocityMlp<Scalar>::Probes none;
    const auto step = [&]() {
      net.forward(x, t, DivMode::exact, none, v, div);
      net.vjp(x, t, DivMode::exact, none, gv, gdiv, gx, gp);
    };
    if (a.profile > 0) return profile(a.profile, step);
    std::printf("# v+div workspace kept between forward and vjp: %zu bytes per particle\n",
                net.workspace_bytes_per_particle(DivMode::exact, 0));
    const double ts = best_seconds(a.reps, step);
    const auto calls = record(step);
    print_row(c, "v+div", B, ts, calls, replay_seconds<Scalar>(calls, a.reps), ref_gflops);
    if (a.per_product) print_products<Scalar>(calls, a.reps);
  }
  if (a.energy) {
    EnergyMlp<Scalar> net(s, 7, false);
    Mat grad("grad", B, d), ggrad("ggrad", B, d);
    Vec f("f", B), lap("lap", B), gf("gf", B), glap("glap", B), gp("gp", net.num_params());
    fill_normal(gf, 6, 1.0 / B);
    fill_normal(ggrad, 7, 1.0 / B);
    fill_normal(glap, 8, 1.0 / B);
    const EnergyWant want{true, false, true};
    const auto step = [&]() {
      net.evaluate(x, t, want, f, grad, Vec(), lap);
      net.vjp(x, t, want, gf, ggrad, Vec(), glap, gx, gp);
    };
    if (a.profile > 0) return profile(a.profile, step);
    std::printf("# f+g+lap workspace kept between evaluate and vjp: %zu bytes per particle\n",
                net.workspace_bytes_per_particle(want));
    const double ts = best_seconds(a.reps, step);
    const auto calls = record(step);
    print_row(c, "f+g+lap", B, ts, calls, replay_seconds<Scalar>(calls, a.reps), ref_gflops);
    if (a.per_product) print_products<Scalar>(calls, a.reps);
  }
}

// One (M × K)·(K × N) product through KokkosBlas and, on host memory, through the BLAS
// library itself.
// Returns the KokkosBlas::gemm rate in GFLOP/s (the "DGEMM rate" the steps are compared to).
template <class Scalar>
double reference_gemm(int M, int N, int K, int reps) {
  Vector<Scalar> A("A", std::size_t(M) * K), B("B", std::size_t(K) * N), C("C", std::size_t(M) * N);
  fill_normal(A, 1, 0.1);
  fill_normal(B, 2, 0.1);
  using CM = gemm::ColMajor<Scalar>;
  const double f = 2.0 * M * N * K;
  const double tk = best_seconds(reps, [&]() {
    gemm::product<Scalar>('N', 'N', 1, CM(A.data(), M, K), CM(B.data(), K, N), 0, CM(C.data(), M, N));
  });
  std::printf("reference GEMM %d x %d x %d: KokkosBlas::gemm %.2f GFLOP/s", M, N, K, f * 1e-9 / tk);
  if constexpr (std::is_same<MemSpace, Kokkos::HostSpace>::value) {
    const Scalar one = 1, zero = 0;
    const bool dbl = std::is_same<Scalar, double>::value;
    if ((dbl && dgemm_) || (!dbl && sgemm_)) {
      const double tb = best_seconds(reps, [&]() {
        if constexpr (std::is_same<Scalar, double>::value)
          dgemm_("N", "N", &M, &N, &K, &one, A.data(), &M, B.data(), &K, &zero, C.data(), &M);
        else
          sgemm_("N", "N", &M, &N, &K, &one, A.data(), &M, B.data(), &K, &zero, C.data(), &M);
      });
      std::printf(", BLAS library directly %.2f GFLOP/s", f * 1e-9 / tb);
    }
  }
  std::printf("\n");
  return f * 1e-9 / tk;
}

template <class Scalar>
void run(const Args& a) {
  const std::vector<Case> cases = {{2, 64, 3, 4096}, {32, 256, 3, 16384}, {50, 256, 3, 16384}};
  std::printf("precision %s, activation %s, time input linear, best of %d after one warm-up, %s time\n",
              std::is_same<Scalar, double>::value ? "float64" : "float32", to_string(a.activation).c_str(), a.reps,
              use_cpu_clock() ? "process CPU" : "wall");
  // The shape of a width-256 hidden layer on 1024 particles with 33 jet slots.
  const double ref = a.profile > 0 ? 1.0 : reference_gemm<Scalar>(33792, 256, 256, a.reps);
  std::printf("RESULT impl=boltzflow kind=gemm m=33792 n=256 k=256 gflops=%.4f\n", ref);
  print_header();
  for (std::size_t i = 0; i < cases.size(); ++i)
    if (a.cases.empty() || std::find(a.cases.begin(), a.cases.end(), int(i)) != a.cases.end())
      run_case<Scalar>(cases[i], a, ref);
}

}  // namespace

int main(int argc, char* argv[]) {
  Kokkos::ScopeGuard guard(argc, argv);
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    const auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (k == "--max-batch") a.max_batch = std::atoi(next());
    else if (k == "--reps") a.reps = std::max(1, std::atoi(next()));
    else if (k == "--float") a.use_float = true;
    else if (k == "--activation") a.activation = activation_from_string(next());
    else if (k == "--case") a.cases.push_back(std::atoi(next()));
    else if (k == "--velocity-only") a.energy = false;
    else if (k == "--energy-only") a.velocity = false;
    else if (k == "--clock") use_cpu_clock() = std::string(next()) == "cpu";
    else if (k == "--profile") a.profile = std::max(1, std::atoi(next()));
    else if (k == "--per-product") a.per_product = true;
    else {
      usage();
      return k == "--help" ? 0 : 2;
    }
  }
  std::printf("Kokkos execution space %s, concurrency %d\n", ExecSpace::name(), ExecSpace().concurrency());
  if (openblas_get_config)
    std::printf("BLAS: OpenBLAS (%s), %d threads\n", openblas_get_config(),
                openblas_get_num_threads ? openblas_get_num_threads() : -1);
  else
    std::printf("BLAS: not OpenBLAS (no openblas_get_config symbol in the loaded BLAS)\n");
  if (a.use_float)
    run<float>(a);
  else
    run<double>(a);
  return 0;
}
