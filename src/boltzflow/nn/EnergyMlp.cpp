#include "boltzflow/nn/EnergyMlp.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Grow.hpp"

namespace boltzflow::nn {

template <class Scalar>
EnergyMlp<Scalar>::EnergyMlp(MlpShape shape, std::uint64_t init_seed, bool zero_last)
    : net_((shape.outputs = 1, shape), init_seed, zero_last) {}

template <class Scalar>
JetSpec EnergyMlp<Scalar>::spec(EnergyWant w) const {
  const int d = dim();
  BOLTZFLOW_ASSERT(!w.dt || shape().time != TimeInput::none, "EnergyMlp: ∂ₜf needs a time input");
  if (w.dt) return {Tangents::basis_time, d + 1, w.lap, false};
  if (w.grad || w.lap) return {Tangents::basis, d, w.lap, false};
  return {Tangents::basis, 0, false, false};
}

template <class Scalar>
void EnergyMlp<Scalar>::evaluate(const Mat& x, Scalar t, EnergyWant w, const Vec& f, const Mat& grad, const Vec& dt,
                                 const Vec& lap) {
  const JetSpec sp = spec(w);
  net_.forward(x, t, sp, {});
  const auto out = net_.output();
  const int S = sp.slots(), d = dim(), B = x.extent(0);
  Kokkos::parallel_for(
      "boltzflow::nn::energy_out", Kokkos::RangePolicy<ExecSpace>(0, B), KOKKOS_LAMBDA(const int b) {
        f(b) = out(b, 0);  // row s·B + b: slot s of particle b
        if (w.grad)
          for (int i = 0; i < d; ++i) grad(b, i) = out((1 + i) * B + b, 0);
        if (w.dt) dt(b) = out((1 + d) * B + b, 0);
        if (w.lap) lap(b) = out((S - 1) * B + b, 0);
      });
}

template <class Scalar>
void EnergyMlp<Scalar>::vjp(const Mat& x, Scalar t, EnergyWant w, const Vec& gf, const Mat& ggrad, const Vec& gdt,
                            const Vec& glap, const Mat& gx, const Vec& gparams) {
  const JetSpec sp = spec(w);
  const int S = sp.slots(), d = dim(), B = x.extent(0);
  const bool tangents = sp.K > 0;
  grow(gout_, std::size_t(B) * S, "boltzflow::nn::energy_gout");
  const auto g = gemm::cols(gout_.data(), B * S, 1);  // column-major cotangent rows, as output()
  Kokkos::parallel_for(
      "boltzflow::nn::energy_cotangent", Kokkos::RangePolicy<ExecSpace>(0, B), KOKKOS_LAMBDA(const int b) {
        g(b, 0) = gf(b);
        for (int i = 0; i < d && tangents; ++i) g((1 + i) * B + b, 0) = w.grad ? ggrad(b, i) : Scalar(0);
        if (w.dt) g((1 + d) * B + b, 0) = gdt(b);
        if (w.lap) g((S - 1) * B + b, 0) = glap(b);
      });
  net_.backward(x, t, sp, {}, g, {}, gx, gparams);
}

template <class Scalar>
std::size_t EnergyMlp<Scalar>::workspace_bytes_per_particle(EnergyWant want) const {
  const JetSpec sp = spec(want);
  return net_.workspace_bytes_per_particle(sp) + sp.slots() * sizeof(Scalar);
}

template class EnergyMlp<double>;
template class EnergyMlp<float>;

}  // namespace boltzflow::nn
