#include <cmath>
#include <limits>
#include <vector>

#include "DistributedSample.hpp"
#include "boltzflow/metrics/Weights.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::metrics;
using testutil::local_values;
using testutil::slice_of;

TEST_CASE("log Z, ELBO and reverse ESS from the logs of known weights", "[metrics][weights][mpi]") {
  Comm comm;
  const int n = 50;
  const double shift = 800;  // exp(λ) overflows without the max shift
  std::vector<double> lw(n);
  double s1 = 0, s2 = 0, sl = 0;
  for (int i = 0; i < n; ++i) {
    const double w = 1.0 + i % 7;
    lw[i] = std::log(w) + shift;
    s1 += w;
    s2 += w * w;
    sl += lw[i];
  }
  for (const bool empty_last : {false, true}) {
    const auto r = weight_summary(comm, local_values(lw, slice_of(comm, n, empty_last)));
    CHECK(r.n == n);
    CHECK(r.log_z == Approx(shift + std::log(s1 / n)).epsilon(1e-14));
    CHECK(r.elbo == Approx(sl / n).epsilon(1e-14));
    CHECK(r.ess_fraction == Approx(s1 * s1 / (n * s2)).epsilon(1e-12));
    CHECK(r.log_ess_fraction == Approx(std::log(s1 * s1 / (n * s2))).epsilon(1e-12));
    CHECK(r.max_log_weight == Approx(std::log(7.0) + shift).epsilon(1e-15));
    CHECK(r.elbo <= r.log_z);  // Jensen
  }
}

TEST_CASE("equal weights have ESS 1; zero weights drop out", "[metrics][weights][mpi]") {
  Comm comm;
  const std::vector<double> equal(20, -3.5);
  const auto r = weight_summary(comm, local_values(equal, slice_of(comm, 20, true)));
  CHECK(r.ess_fraction == Approx(1.0).epsilon(1e-14));
  CHECK(r.log_z == Approx(-3.5).epsilon(1e-14));
  // Weights {2, 2, 0, 0} (λ = −∞ is a zero weight): Ẑ = 1, ESS = 16/(4·8) = 1/2.
  const double ninf = -std::numeric_limits<double>::infinity();
  const std::vector<double> some_zero = {std::log(2.0), ninf, std::log(2.0), ninf};
  const auto z = weight_summary(comm, local_values(some_zero, slice_of(comm, 4)));
  CHECK(z.log_z == Approx(0.0).margin(1e-15));
  CHECK(z.ess_fraction == Approx(0.5).epsilon(1e-14));
  CHECK(z.elbo == ninf);
  const std::vector<double> bad = {0.0, std::numeric_limits<double>::quiet_NaN(), 1.0};
  CHECK_THROWS_AS(weight_summary(comm, local_values(bad, slice_of(comm, 3))), NumericalError);
  CHECK_THROWS_AS(weight_summary(comm, local_values(std::vector<double>{}, slice_of(comm, 0))), InputError);
}

TEST_CASE("forward weights: EUBO, forward IS log Z and forward ESS", "[metrics][weights][mpi]") {
  Comm comm;
  const int m = 30;
  std::vector<double> lw(m);
  double mean_w = 0, mean_inv = 0, mean_l = 0;
  for (int j = 0; j < m; ++j) {
    const double w = 0.5 + 0.1 * (j % 11);
    lw[j] = std::log(w) - 300;  // e^{∓λ} overflows without the max shift
    mean_w += w / m;
    mean_inv += 1 / w / m;
    mean_l += lw[j] / m;
  }
  for (const bool empty_last : {false, true}) {
    const auto f = forward_weight_summary(comm, local_values(lw, slice_of(comm, m, empty_last)));
    CHECK(f.m == m);
    CHECK(f.eubo == Approx(mean_l).epsilon(1e-14));
    CHECK(f.log_z == Approx(-std::log(mean_inv) - 300).epsilon(1e-14));
    CHECK(f.log_mean_weight == Approx(std::log(mean_w) - 300).epsilon(1e-14));
    CHECK(f.ess_fraction == Approx(1 / (mean_w * mean_inv)).epsilon(1e-12));
    CHECK(f.ess_fraction < 1.0);
    CHECK(f.log_z <= f.eubo);  // Jensen: −log mean e^{−λ} ≤ mean λ
  }
}
