#include "boltzflow/nn/ForwardInputs.hpp"

#include <algorithm>

#include "boltzflow/core/Grow.hpp"

namespace boltzflow::nn {

template <class Scalar>
void ForwardInputs<Scalar>::record(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes,
                                   const Vec& params) {
  const int B = x.extent(0), d = x.extent(1);
  const int K = spec.tangents == Tangents::probes ? spec.K : 0;
  if (int(x_.extent(0)) < B || int(x_.extent(1)) != d) {
    x_ = Mat();
    x_ = Mat(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::forward_x"), B, d);
  }
  grow(probes_, std::size_t(B) * K * d, "boltzflow::nn::forward_probes");
  grow(params_, params.extent(0), "boltzflow::nn::forward_params");
  const Mat xk = x_;
  const Vec pk = probes_, wk = params_;
  const std::size_t nx = std::size_t(B) * d, np = nx * K, nw = params.extent(0);
  Kokkos::parallel_for(
      "boltzflow::nn::forward_inputs_record", Kokkos::RangePolicy<ExecSpace>(0, std::max(nx + np, nw)),
      KOKKOS_LAMBDA(const std::size_t i) {
        if (i < nx) xk(i / d, i % d) = x(i / d, i % d);
        if (i >= nx && i < nx + np) {
          const std::size_t r = i - nx;
          pk(r) = probes(r / (std::size_t(K) * d), (r / d) % K, r % d);
        }
        if (i < nw) wk(i) = params(i);
      });
  valid_ = true;
  B_ = B;
  K_ = K;
  t_ = t;
  spec_ = spec;
}

template <class Scalar>
bool ForwardInputs<Scalar>::matches(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes,
                                    const Vec& params) const {
  const int B = x.extent(0), d = x.extent(1);
  if (!valid_ || B != B_ || d != int(x_.extent(1)) || !(t == t_) || !(spec == spec_) ||
      params.extent(0) != params_.extent(0))
    return false;
  const int K = K_;
  if (K > 0 && (int(probes.extent(0)) < B || int(probes.extent(1)) != K || int(probes.extent(2)) != d)) return false;
  const Mat xk = x_;
  const Vec pk = probes_, wk = params_;
  const std::size_t nx = std::size_t(B) * d, np = nx * K, nw = params.extent(0);
  int differ = 0;
  Kokkos::parallel_reduce(
      "boltzflow::nn::forward_inputs_match", Kokkos::RangePolicy<ExecSpace>(0, std::max(nx + np, nw)),
      KOKKOS_LAMBDA(const std::size_t i, int& n) {
        if (i < nx && !(xk(i / d, i % d) == x(i / d, i % d))) ++n;
        if (i >= nx && i < nx + np) {
          const std::size_t r = i - nx;
          if (!(pk(r) == probes(r / (std::size_t(K) * d), (r / d) % K, r % d))) ++n;
        }
        if (i < nw && !(wk(i) == params(i))) ++n;
      },
      differ);
  return differ == 0;
}

template class ForwardInputs<double>;
template class ForwardInputs<float>;

}  // namespace boltzflow::nn
