// The activations' building blocks against libm and against each other.
#include <cmath>
#include <limits>

#include "boltzflow/nn/Activation.hpp"
#include "catch_compat.hpp"

using namespace boltzflow::nn;

namespace {
// |a − b| in units of b's last place.
template <class T>
double ulps(T a, T b) {
  const T ulp = std::nextafter(std::abs(b), std::numeric_limits<T>::infinity()) - std::abs(b);
  return std::abs(double(a) - double(b)) / double(ulp);
}
template <class T>
double worst_tanh_ulps() {
  double worst = 0;
  for (int k = -400000; k <= 400000; ++k) {  // |z| <= 40 in steps of 1e-4, both branches and the switch
    const T z = T(k * 1e-4);
    worst = std::max(worst, ulps(tanh_exp(z), std::tanh(z)));
  }
  return worst;
}
}  // namespace

TEST_CASE("tanh from one exponential agrees with libm's tanh", "[nn][activation]") {
  CHECK(worst_tanh_ulps<double>() <= 4);
  CHECK(worst_tanh_ulps<float>() <= 4);
  for (double z : {1e-300, 1e-12, 0.624999, 0.625, 3.0, 19.0, 400.0}) {
    CHECK(tanh_exp(-z) == -tanh_exp(z));
    CHECK(ulps(tanh_exp(z), std::tanh(z)) <= 4);
  }
  CHECK(tanh_exp(0.0) == 0.0);
  CHECK(tanh_exp(std::numeric_limits<double>::infinity()) == 1.0);
  CHECK(tanh_exp(-std::numeric_limits<double>::infinity()) == -1.0);
  CHECK(std::isnan(tanh_exp(std::numeric_limits<double>::quiet_NaN())));
  CHECK(tanh_exp(1e-6f) == std::tanh(1e-6f));
}

TEST_CASE("activation derivatives from the kept base equal those of activate()", "[nn][activation]") {
  for (auto act : {Activation::tanh, Activation::softplus, Activation::silu})
    for (double z : {-30.0, -2.5, -0.3, 0.0, 0.7, 4.0, 35.0}) {
      const auto a = activate(act, z, 3.0);
      CHECK(a.u == activation_base(act, z, 3.0));
      ActDerivs<double> r{};
      activation_derivs(act, z, a.u, 3.0, r);
      CHECK(r.s1 == a.s1);  // bitwise: the reverse sweep recomputes exactly the forward's derivatives
      CHECK(r.s2 == a.s2);
      CHECK(r.s3 == a.s3);
      // and they are σ', σ'', σ''' (central differences of the level below)
      const double h = 1e-6;
      const auto p = activate(act, z + h, 3.0), m = activate(act, z - h, 3.0);
      CHECK(std::abs((p.s0 - m.s0) / (2 * h) - a.s1) < 1e-7 * std::max(1.0, std::abs(a.s1)));
      CHECK(std::abs((p.s1 - m.s1) / (2 * h) - a.s2) < 1e-7 * std::max(1.0, std::abs(a.s2)));
      CHECK(std::abs((p.s2 - m.s2) / (2 * h) - a.s3) < 1e-6 * std::max(1.0, std::abs(a.s3)));
    }
}
