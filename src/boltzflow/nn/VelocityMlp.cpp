#include "boltzflow/nn/VelocityMlp.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Grow.hpp"

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
  const int B = x.extent(0), K = sp.K, d = dim();
  const Scalar inv_k = K > 0 ? Scalar(1) / K : Scalar(0);
  Kokkos::parallel_for(
      "boltzflow::nn::velocity_out", Kokkos::RangePolicy<ExecSpace>(0, B), KOKKOS_LAMBDA(const int b) {
        for (int j = 0; j < d; ++j) v(b, j) = out(b, j);
        if (mode == DivMode::exact) {
          div(b) = tr(b);
        } else if (mode == DivMode::hutchinson) {
          Scalar s = 0;
          for (int k = 0; k < K; ++k)
            for (int j = 0; j < d; ++j) s += probes(b, k, j) * out((1 + k) * B + b, j);  // εᵀ(∂v/∂x)ε
          div(b) = s * inv_k;
        }
      });
}

template <class Scalar>
void VelocityMlp<Scalar>::vjp(const Mat& x, Scalar t, DivMode mode, const Probes& probes, const Mat& gv, const Vec& gdiv,
                              const Mat& gx, const Vec& gparams) const {
  const JetSpec sp = velocity_spec(mode, dim(), probes.extent(1));
  // Cotangent rows in the network's column-major layout: the value rows from gv; for
  // Hutchinson also the tangent rows (the exact trace takes gdiv directly).
  const int d = dim(), B = x.extent(0), rows = mode == DivMode::hutchinson ? B * sp.slots() : B, K = sp.K;
  grow(gout_, std::size_t(rows) * d, "boltzflow::nn::velocity_gout");
  const auto g = gemm::cols(gout_.data(), rows, d);
  const Scalar inv_k = K > 0 ? Scalar(1) / K : Scalar(0);
  const bool hutchinson = mode == DivMode::hutchinson;
  Kokkos::parallel_for(
      "boltzflow::nn::velocity_cotangent", Kokkos::RangePolicy<ExecSpace>(0, B), KOKKOS_LAMBDA(const int b) {
        for (int j = 0; j < d; ++j) g(b, j) = gv(b, j);
        if (hutchinson)
          for (int k = 0; k < K; ++k)
            for (int j = 0; j < d; ++j) g((1 + k) * B + b, j) = gdiv(b) * probes(b, k, j) * inv_k;
      });
  net_.backward(x, t, sp, probes, g, gdiv, gx, gparams);
}

template <class Scalar>
std::size_t VelocityMlp<Scalar>::workspace_bytes_per_particle(DivMode mode, int probes) const {
  const JetSpec sp = velocity_spec(mode, dim(), probes);
  const std::size_t gout_rows = mode == DivMode::hutchinson ? sp.slots() : 1;
  return net_.workspace_bytes_per_particle(sp) + gout_rows * dim() * sizeof(Scalar);
}

template <class Scalar>
void VelocityMlp<Scalar>::release_workspace() const {
  net_.release();
  gout_ = Vec();
}

template class VelocityMlp<double>;
template class VelocityMlp<float>;

}  // namespace boltzflow::nn
