#include "boltzflow/nn/VelocityMlp.hpp"

namespace boltzflow::nn {

template <class Scalar>
VelocityMlp<Scalar>::VelocityMlp(MlpShape shape, std::uint64_t init_seed, bool zero_last)
    : net_((shape.outputs = shape.dim, shape), init_seed, zero_last) {}

template <class Scalar>
JetSpec VelocityMlp<Scalar>::spec(DivMode mode, const Probes& probes) const {
  if (mode == DivMode::none) return {Tangents::basis, 0, false};
  if (mode == DivMode::exact) return {Tangents::basis, dim(), false};
  return {Tangents::probes, static_cast<int>(probes.extent(1)), false};
}

template <class Scalar>
void VelocityMlp<Scalar>::forward(const Mat& x, Scalar t, DivMode mode, const Probes& probes, const Mat& v,
                                  const Vec& div) const {
  const JetSpec sp = spec(mode, probes);
  const auto out = net_.forward(x, t, sp, probes);
  const int S = sp.slots(), K = sp.K, d = dim();
  const Scalar inv_k = K > 0 ? Scalar(1) / K : Scalar(0);
  Kokkos::parallel_for(
      "boltzflow::nn::velocity_out", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int b) {
        const int base = b * S;
        for (int j = 0; j < d; ++j) v(b, j) = out(base, j);
        if (mode == DivMode::exact) {
          Scalar s = 0;
          for (int i = 0; i < d; ++i) s += out(base + 1 + i, i);  // tr ∂v/∂x
          div(b) = s;
        } else if (mode == DivMode::hutchinson) {
          Scalar s = 0;
          for (int k = 0; k < K; ++k)
            for (int j = 0; j < d; ++j) s += probes(b, k, j) * out(base + 1 + k, j);  // εᵀ(∂v/∂x)ε
          div(b) = s * inv_k;
        }
      });
}

template <class Scalar>
void VelocityMlp<Scalar>::vjp(const Mat& x, Scalar t, DivMode mode, const Probes& probes, const Mat& gv, const Vec& gdiv,
                              const Mat& gx, const Vec& gparams) const {
  const JetSpec sp = spec(mode, probes);
  const int S = sp.slots(), K = sp.K, d = dim(), B = x.extent(0);
  if (int(gout_.extent(0)) < B * S) gout_ = Mat("boltzflow::nn::gout", B * S, d);
  const Mat g(gout_.data(), B * S, d);
  const Scalar inv_k = K > 0 ? Scalar(1) / K : Scalar(0);
  Kokkos::parallel_for(
      "boltzflow::nn::velocity_cotangent", Kokkos::RangePolicy<ExecSpace>(0, B), KOKKOS_LAMBDA(const int b) {
        const int base = b * S;
        for (int s = 0; s < S; ++s)
          for (int j = 0; j < d; ++j) g(base + s, j) = 0;
        for (int j = 0; j < d; ++j) g(base, j) = gv(b, j);
        if (mode == DivMode::exact) {
          for (int i = 0; i < d; ++i) g(base + 1 + i, i) = gdiv(b);
        } else if (mode == DivMode::hutchinson) {
          for (int k = 0; k < K; ++k)
            for (int j = 0; j < d; ++j) g(base + 1 + k, j) = gdiv(b) * probes(b, k, j) * inv_k;
        }
      });
  net_.backward(x, t, sp, probes, g, gx, gparams);
}

template class VelocityMlp<double>;
template class VelocityMlp<float>;

}  // namespace boltzflow::nn
