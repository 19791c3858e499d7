#include "boltzflow/nn/VelocityMlp.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::nn {

namespace {
JetSpec velocity_spec(DivMode mode, int d, int probes) {
  if (mode == DivMode::exact) return {Tangents::basis, d, false, true};
  if (mode == DivMode::hutchinson) return {Tangents::probes, probes, false, false};
  return {Tangents::basis, 0, false, false};
}
}  // namespace

template <class Scalar>
VelocityMlp<Scalar>::VelocityMlp(MlpShape shape, std::uint64_t init_seed, bool zero_last)
    : net_((shape.outputs = shape.dim, shape), init_seed, zero_last) {}

template <class Scalar>
void VelocityMlp<Scalar>::forward(const Mat& x, Scalar t, DivMode mode, const Probes& probes, const Mat& v,
                                  const Vec& div) const {
  const JetSpec sp = velocity_spec(mode, dim(), probes.extent(1));
  BOLTZFLOW_ASSERT(mode != DivMode::hutchinson || sp.K > 0, "VelocityMlp: Hutchinson divergence needs probes");
  net_.forward(x, t, sp, probes);
  const auto out = net_.output();
  const auto tr = net_.trace();
  const int S = sp.slots(), K = sp.K, d = dim();
  const Scalar inv_k = K > 0 ? Scalar(1) / K : Scalar(0);
  Kokkos::parallel_for(
      "boltzflow::nn::velocity_out", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int b) {
        const int base = b * S;
        for (int j = 0; j < d; ++j) v(b, j) = out(base, j);
        if (mode == DivMode::exact) {
          div(b) = tr(b);
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
  const JetSpec sp = velocity_spec(mode, dim(), probes.extent(1));
  if (mode != DivMode::hutchinson) {  // value slots and the trace need no cotangent rows
    net_.backward(x, t, sp, probes, gv, gdiv, gx, gparams);
    return;
  }
  const int S = sp.slots(), K = sp.K, d = dim(), B = x.extent(0);
  if (int(gout_.extent(0)) < B * S) {
    gout_ = Mat();
    gout_ = Mat(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::velocity_gout"), B * S, d);
  }
  const Mat g = Kokkos::subview(gout_, Kokkos::make_pair(0, B * S), Kokkos::ALL());
  const Scalar inv_k = Scalar(1) / K;
  Kokkos::parallel_for(
      "boltzflow::nn::velocity_cotangent", Kokkos::RangePolicy<ExecSpace>(0, B), KOKKOS_LAMBDA(const int b) {
        const int base = b * S;
        for (int j = 0; j < d; ++j) g(base, j) = gv(b, j);
        for (int k = 0; k < K; ++k)
          for (int j = 0; j < d; ++j) g(base + 1 + k, j) = gdiv(b) * probes(b, k, j) * inv_k;
      });
  net_.backward(x, t, sp, probes, g, gdiv, gx, gparams);
}

template class VelocityMlp<double>;
template class VelocityMlp<float>;

}  // namespace boltzflow::nn
