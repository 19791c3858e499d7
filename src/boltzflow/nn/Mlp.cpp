#include "boltzflow/nn/Mlp.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/Gemm.hpp"

namespace boltzflow::nn {

using gemm::rows;

template <class Scalar>
Mlp<Scalar>::Mlp(const MlpShape& shape, std::uint64_t init_seed, bool zero_last)
    : shape_(shape), layout_(shape), params_("boltzflow::nn::params", layout_.num_params()) {
  auto h = Kokkos::create_mirror_view(params_);
  const Rng rng(init_seed, Stream::network_init);
  const int L = layout_.layers();
  for (int l = 0; l < L; ++l) {
    const double bound = 1.0 / std::sqrt(double(layout_.width(l)));
    const bool zero = zero_last && l == L - 1;
    const std::size_t end = l + 1 < L ? layout_.weight_offset(l + 1) : layout_.num_params();
    for (std::size_t k = layout_.weight_offset(l); k < end; ++k)
      h(k) = zero ? Scalar(0) : Scalar(bound * (2 * rng.uniform(k, 0, 0) - 1));
  }
  Kokkos::deep_copy(params_, h);
  Z_.resize(L);
  H_.resize(L);
  U_.resize(L - 1);
}

template <class Scalar>
void Mlp<Scalar>::reserve(int B, int S) {
  const int R = B * S, L = layout_.layers();
  if (R > cap_rows_) {
    cap_rows_ = R;
    for (int l = 0; l < L; ++l) {  // free before allocating: peak memory stays one set
      Z_[l] = Mat();
      H_[l] = Mat();
    }
    for (int l = 0; l < L; ++l) {
      Z_[l] = Mat(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::Z"), R, layout_.width(l + 1));
      if (l > 0) H_[l] = Mat(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::H"), R, layout_.width(l));
    }
  }
  if (B > cap_particles_) {
    cap_particles_ = B;
    for (auto& u : U_) u = Mat();
    for (int l = 0; l + 1 < L; ++l)
      U_[l] = Mat(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::U"), B, layout_.width(l + 1));
    Hin_ = Mat(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::Hin"), B, layout_.width(0));
    ones_ = Vec(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::ones"), B);
    Kokkos::deep_copy(ones_, Scalar(1));
    trace_ = Vec(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::trace"), B);
  }
  if (int(colsum_.extent(0)) < S * layout_.width(1)) {
    colsum_ = Vec(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::colsum"), S * layout_.width(1));
    T0_ = Vec(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::T0"), S * layout_.width(1));
  }
}

template <class Scalar>
std::size_t Mlp<Scalar>::workspace_bytes_per_particle(const JetSpec& spec) const {
  const std::size_t S = spec.slots();
  const int L = layout_.layers();
  std::size_t n = layout_.width(0) + 2;  // Hin, ones, trace
  for (int l = 0; l < L; ++l) n += S * (layout_.width(l + 1) + (l > 0 ? layout_.width(l) : 0));  // Z, H
  for (int l = 0; l + 1 < L; ++l) n += layout_.width(l + 1);                                     // U
  n += std::size_t(shape_.dim) * (1 + (spec.tangents == Tangents::probes ? spec.K : 0));         // kept x, probes
  return n * sizeof(Scalar);
}

template <class Scalar>
TangentRows<Scalar> Mlp<Scalar>::tangent_rows(int l, const JetSpec& spec) const {
  if (l == 1 && spec.tangents != Tangents::probes) return {T0_.data(), 0};
  const int w = layout_.width(l);
  return {Z_[l - 1].data() + w, std::size_t(spec.slots()) * w};
}

template <class Scalar>
typename Mlp<Scalar>::Mat Mlp<Scalar>::Z(int l) const {
  return Kokkos::subview(Z_[l], Kokkos::make_pair(0, B_ * S_), Kokkos::ALL());
}
template <class Scalar>
typename Mlp<Scalar>::Mat Mlp<Scalar>::H(int l) const {
  return Kokkos::subview(H_[l], Kokkos::make_pair(0, B_ * S_), Kokkos::ALL());
}
template <class Scalar>
typename Mlp<Scalar>::Mat Mlp<Scalar>::output() const {
  return Z(layout_.layers() - 1);
}
template <class Scalar>
typename Mlp<Scalar>::Vec Mlp<Scalar>::trace() const {
  return Kokkos::subview(trace_, Kokkos::make_pair(0, B_));
}

template <class Scalar>
JetDims Mlp<Scalar>::dims(int B, const JetSpec& spec, const Probes& probes) const {
  const int d = shape_.dim;
  BOLTZFLOW_ASSERT(spec.K >= 0, "Mlp: negative tangent count");
  if (spec.tangents == Tangents::probes) {
    BOLTZFLOW_ASSERT(int(probes.extent(0)) >= B && int(probes.extent(1)) == spec.K && int(probes.extent(2)) == d &&
                         probes.span_is_contiguous(),
                     "Mlp: probes must be a contiguous (B, K, d) View");
  } else {
    BOLTZFLOW_ASSERT(spec.K == 0 || spec.K == d || (spec.tangents == Tangents::basis_time && spec.K == d + 1),
                     "Mlp: basis tangents need K = d (or d + 1 with the time direction)");
    BOLTZFLOW_ASSERT(spec.tangents == Tangents::basis || shape_.time != TimeInput::none || spec.K == d,
                     "Mlp: a time tangent needs a time input");
  }
  BOLTZFLOW_ASSERT(!spec.trace || (spec.tangents == Tangents::basis && spec.K == d && shape_.outputs == d && !spec.laplacian),
                   "Mlp: the trace output needs d basis tangents and d outputs");
  return {B, spec.slots(), spec.K, spec.x_tangents(), spec.laplacian, spec.tangents};
}

template <class Scalar>
void Mlp<Scalar>::forward(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes) {
  BOLTZFLOW_ASSERT(int(x.extent(1)) == shape_.dim, "Mlp::forward: x has the wrong dimension");
  const int B = x.extent(0), L = layout_.layers(), d = shape_.dim, in = layout_.width(0), w1 = layout_.width(1);
  const JetDims j = dims(B, spec, probes);
  const int S = j.S, K = j.K, R = B * S;
  reserve(B, S);
  B_ = B;
  S_ = S;
  const Scalar* p = params_.data();
  const Scalar beta = Scalar(shape_.softplus_beta);

  // Input layer: value slots by a product on the compact inputs; the tangent slots are W0's
  // columns (shared rows T0) or, for probes, products W0[:, :d] ε_k per particle.
  const auto W0 = rows(p + layout_.weight_offset(0), w1, in);
  jet::input_features(x, t, shape_, Hin_);
  gemm::layer(W0, rows(Hin_.data(), B, in), rows(Z(0).data(), B, w1, S * w1));
  if (spec.tangents != Tangents::probes) {
    if (S > 1) jet::basis_tangent_rows(params_, layout_.weight_offset(0), shape_, t, j, T0_);
  } else {
    for (int k = 0; k < K; ++k)
      gemm::layer(rows(W0.p, w1, d, in), rows(probes.data() + k * d, B, d, K * d),
                  rows(Z(0).data() + (1 + k) * w1, B, w1, S * w1));
    if (spec.laplacian) jet::zero_slot(Z(0), S - 1, j);
  }

  for (int l = 1; l < L; ++l) {
    const int win = layout_.width(l), wout = layout_.width(l + 1);
    jet::activation_forward(Z(l - 1), tangent_rows(l, spec), params_, layout_.bias_offset(l - 1), shape_.activation,
                            beta, j, H(l), U_[l - 1]);
    const auto W = rows(p + layout_.weight_offset(l), wout, win);
    if (l < L - 1 || !spec.trace) {
      gemm::layer(W, rows(H(l).data(), R, win), rows(Z(l).data(), R, wout));
    } else {  // exact divergence: value slots, plus tr = Σ_b-wise ⟨W, [ḣ_1 .. ḣ_d]⟩ as one product
      gemm::layer(W, rows(H(l).data(), B, win, S * win), rows(Z(l).data(), B, wout, S * wout));
      gemm::row_dot(rows(H(l).data() + win, B, d * win, S * win), W.p, trace_.data());
    }
  }
  jet::add_bias(Z(L - 1), params_, layout_.bias_offset(L - 1), j);
  kept_.record(x, t, spec, probes, params_);
}

template <class Scalar>
void Mlp<Scalar>::backward(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes, const Mat& gout,
                           const Vec& gtrace, const Mat& gx, const Vec& gparams) {
  if (!kept_.matches(x, t, spec, probes, params_)) forward(x, t, spec, probes);
  kept_.forget();  // the sweep below overwrites the jets
  const int B = B_, S = S_, R = B * S, L = layout_.layers(), d = shape_.dim, K = spec.K;
  const int out = shape_.outputs, in = layout_.width(0), w1 = layout_.width(1);
  BOLTZFLOW_ASSERT(gparams.extent(0) == num_params(), "Mlp::backward: gparams has the wrong size");
  BOLTZFLOW_ASSERT(int(gx.extent(0)) == B && int(gx.extent(1)) == d, "Mlp::backward: gx has the wrong shape");
  BOLTZFLOW_ASSERT(int(gout.extent(0)) >= (spec.trace ? B : R) && int(gout.extent(1)) == out,
                   "Mlp::backward: gout has the wrong shape");
  const JetDims j = dims(B, spec, probes);
  const Scalar* p = params_.data();
  Scalar* gp = gparams.data();
  const Scalar* one = ones_.data();
  const Scalar beta = Scalar(shape_.softplus_beta);
  // The sweep overwrites what it no longer needs: H(l) <- its cotangent after layer l's weight
  // gradient, Z(l) <- its cotangent (activation_reverse), so reverse mode costs no extra memory.

  {  // output layer, cotangent gout
    const int l = L - 1, win = layout_.width(l);
    const auto W = rows(p + layout_.weight_offset(l), out, win);
    const auto gW = rows(gp + layout_.weight_offset(l), out, win);
    const int ldg = gout.stride(0);
    const auto Gv = rows(gout.data(), B, out, spec.trace ? ldg : S * ldg);  // value slots
    gemm::row_sum(Gv, one, Scalar(1), gp + layout_.bias_offset(l));
    if (spec.trace) {
      const auto Hv = rows(H(l).data(), B, win, S * win), Ht = rows(H(l).data() + win, B, d * win, S * win);
      gemm::add_weight_grad(Gv, Hv, gW);
      gemm::row_sum(Ht, gtrace.data(), Scalar(1), gW.p);  // ∂tr/∂W(i, :) = Σ_b gtr_b ḣ_i
      gemm::input_grad(Gv, W, Hv);
      gemm::outer(gtrace.data(), W.p, Ht);  // ∂tr/∂ḣ_i = gtr_b W(i, :)
    } else {
      const auto G = rows(gout.data(), R, out, ldg), Hl = rows(H(l).data(), R, win);
      gemm::add_weight_grad(G, Hl, gW);
      gemm::input_grad(G, W, Hl);
    }
  }
  for (int l = L - 2; l >= 0; --l) {
    const int win = layout_.width(l), wout = layout_.width(l + 1);
    jet::activation_reverse(H(l + 1), tangent_rows(l + 1, spec), U_[l], shape_.activation, beta, j, Z(l));
    const auto G = rows(Z(l).data(), R, wout);
    const auto W = rows(p + layout_.weight_offset(l), wout, win);
    const auto gW = rows(gp + layout_.weight_offset(l), wout, win);
    if (l > 0) {
      gemm::add_weight_grad(G, rows(H(l).data(), R, win), gW);
      gemm::row_sum(rows(G.p, B, wout, S * wout), one, Scalar(1), gp + layout_.bias_offset(l));
      gemm::input_grad(G, W, rows(H(l).data(), R, win));
      continue;
    }
    // Input layer: the value slots depend on x and the weights, the tangent slots on the
    // weights only (the Laplacian slot on neither).
    const auto Gv = rows(G.p, B, w1, S * w1);
    gemm::add_weight_grad(Gv, rows(Hin_.data(), B, in), gW);
    gemm::row_sum(rows(G.p, B, S * w1), one, Scalar(0), colsum_.data());  // Σ_b of every slot
    jet::input_tangents_grad(colsum_, shape_, t, j, gparams, layout_.weight_offset(0), layout_.bias_offset(0));
    if (spec.tangents == Tangents::probes)
      for (int k = 0; k < K; ++k)
        gemm::add_weight_grad(rows(G.p + (1 + k) * w1, B, w1, S * w1), rows(probes.data() + k * d, B, d, K * d),
                              rows(gW.p, w1, d, in));
    gemm::input_grad(Gv, rows(W.p, w1, d, in), rows(gx.data(), B, d, int(gx.stride(0))));
  }
}

template class Mlp<double>;
template class Mlp<float>;

}  // namespace boltzflow::nn
