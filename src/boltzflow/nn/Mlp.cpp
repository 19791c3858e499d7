#include "boltzflow/nn/Mlp.hpp"

#include <algorithm>
#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/Gemm.hpp"
#include "boltzflow/core/Grow.hpp"

namespace boltzflow::nn {

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
  sets_.push_back(empty_set());
}

template <class Scalar>
typename Mlp<Scalar>::JetSet Mlp<Scalar>::empty_set() const {
  JetSet j;
  const int L = layout_.layers();
  j.Z.resize(L);
  j.H.resize(L);
  j.U.resize(L - 1);
  return j;
}

template <class Scalar>
void Mlp<Scalar>::keep_jet_sets(int n) {
  BOLTZFLOW_ASSERT(n >= 1, "Mlp::keep_jet_sets: need at least one set");
  if (int(sets_.size()) > n) sets_.resize(n);  // frees the extra sets' buffers
  while (int(sets_.size()) < n) sets_.push_back(empty_set());
  active_ = std::min(active_, n - 1);
}

template <class Scalar>
void Mlp<Scalar>::use_jet_set(int i) {
  BOLTZFLOW_ASSERT(i >= 0 && i < int(sets_.size()), "Mlp::use_jet_set: no such jet set (keep_jet_sets first)");
  active_ = i;
}

template <class Scalar>
void Mlp<Scalar>::reserve(int B, int S) {
  const std::size_t R = std::size_t(B) * S;
  const int L = layout_.layers();
  auto& j = cur();
  for (int l = 0; l < L; ++l) {
    grow(j.Z[l], R * layout_.width(l + 1), "boltzflow::nn::Z");
    if (l > 0) grow(j.H[l], R * layout_.width(l), "boltzflow::nn::H");
    if (l + 1 < L) grow(j.U[l], std::size_t(B) * layout_.width(l + 1), "boltzflow::nn::U");
  }
  grow(j.Hin, std::size_t(B) * layout_.width(0), "boltzflow::nn::Hin");
  if (int(ones_.extent(0)) < B) {
    grow(ones_, B, "boltzflow::nn::ones");
    Kokkos::deep_copy(ones_, Scalar(1));
  }
  grow(trace_, B, "boltzflow::nn::trace");
  grow(colsum_, std::size_t(S) * layout_.width(1), "boltzflow::nn::colsum");
  grow(j.T0, std::size_t(S) * layout_.width(1), "boltzflow::nn::T0");
}

template <class Scalar>
void Mlp<Scalar>::release() {
  sets_.assign(1, empty_set());
  active_ = 0;
  ones_ = trace_ = colsum_ = Vec();
}

template <class Scalar>
std::size_t Mlp<Scalar>::workspace_bytes() const {
  std::size_t n = ones_.extent(0) + trace_.extent(0) + colsum_.extent(0);
  for (const auto& j : sets_) {
    n += j.Hin.extent(0) + j.T0.extent(0) + j.kept.bytes() / sizeof(Scalar);
    for (const auto* group : {&j.Z, &j.H, &j.U})
      for (const auto& v : *group) n += v.extent(0);
  }
  return n * sizeof(Scalar);
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
typename Mlp<Scalar>::Cols Mlp<Scalar>::Z(int l) const {
  return gemm::cols(cur().Z[l].data(), cur().B * cur().S, layout_.width(l + 1));
}
template <class Scalar>
typename Mlp<Scalar>::Cols Mlp<Scalar>::H(int l) const {
  return gemm::cols(cur().H[l].data(), cur().B * cur().S, layout_.width(l));
}
template <class Scalar>
typename Mlp<Scalar>::Cols Mlp<Scalar>::output() const {
  return Z(layout_.layers() - 1);
}
template <class Scalar>
typename Mlp<Scalar>::Vec Mlp<Scalar>::trace() const {
  return Kokkos::subview(trace_, Kokkos::make_pair(0, cur().B));
}

template <class Scalar>
const Scalar* Mlp<Scalar>::shared_tangents(int l, const JetSpec& spec) const {
  return l == 1 && spec.tangents != Tangents::probes ? cur().T0.data() : nullptr;
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

// Products in the column-major jet layout (JetKernels.hpp): a layer is Z = H·W with W the
// (in × out) column-major view of the row-major (out × in) weights; slot s of a buffer with R
// rows is the (B × w) block at row s·B, leading dimension R.
template <class Scalar>
void Mlp<Scalar>::forward(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes) {
  BOLTZFLOW_ASSERT(int(x.extent(1)) == shape_.dim, "Mlp::forward: x has the wrong dimension");
  const int B = x.extent(0), L = layout_.layers(), d = shape_.dim, in = layout_.width(0), w1 = layout_.width(1);
  const JetDims j = dims(B, spec, probes);
  const int S = j.S, K = j.K, R = B * S;
  reserve(B, S);
  ++forward_runs_;
  auto& js = cur();
  js.B = B;
  js.S = S;
  const Scalar* p = params_.data();
  const Scalar beta = Scalar(shape_.softplus_beta);

  // Input layer: value rows by a product on the compact inputs; the tangent slots are W0's
  // columns (the shared rows T0) or, for probes, products ε_k W0[:, :d]ᵀ per particle.
  const auto W0 = gemm::cols(p + layout_.weight_offset(0), in, w1);
  const auto Hin = gemm::cols(js.Hin.data(), B, in);
  jet::input_features(x, t, shape_, Hin);
  gemm::layer(Hin, W0, gemm::cols(Z(0).data(), B, w1, R));
  if (spec.tangents != Tangents::probes) {
    if (S > 1) jet::basis_tangent_rows(params_, layout_.weight_offset(0), shape_, t, j, js.T0);
  } else {
    for (int k = 0; k < K; ++k)  // probes (b, k, :) = column b of a (d × B) matrix, leading dimension K·d
      gemm::product<Scalar>('T', 'N', 1, gemm::cols(probes.data() + k * d, d, B, K * d), gemm::cols(W0.data(), d, w1, in),
                            0, gemm::cols(Z(0).data() + (1 + k) * B, B, w1, R));
    if (spec.laplacian) jet::zero_slot(Z(0), S - 1, j);
  }

  for (int l = 1; l < L; ++l) {
    const int win = layout_.width(l), wout = layout_.width(l + 1);
    jet::activation_forward(Z(l - 1), shared_tangents(l, spec), params_, layout_.bias_offset(l - 1), shape_.activation,
                            beta, j, H(l), gemm::cols(js.U[l - 1].data(), B, win));
    const auto W = gemm::cols(p + layout_.weight_offset(l), win, wout);
    if (l < L - 1 || !spec.trace) {
      gemm::layer(H(l), W, Z(l));
    } else {  // exact divergence: value rows, and tr_b = Σᵢ ⟨ḣᵢ, W(i, :)⟩, one product per tangent
      gemm::layer(gemm::cols(H(l).data(), B, win, R), W, gemm::cols(Z(l).data(), B, wout, R));
      for (int i = 0; i < d; ++i)
        gemm::mat_vec(gemm::cols(H(l).data() + (1 + i) * B, B, win, R), W.data() + i * win, Scalar(i > 0),
                      trace_.data());
    }
  }
  jet::add_bias(Z(L - 1), params_, layout_.bias_offset(L - 1), j);
  js.kept.record(x, t, spec, probes, params_);
}

template <class Scalar>
void Mlp<Scalar>::backward(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes, const Cols& gout,
                           const Vec& gtrace, const Mat& gx, const Vec& gparams) {
  if (!cur().kept.matches(x, t, spec, probes, params_)) forward(x, t, spec, probes);
  auto& js = cur();
  js.kept.forget();  // the sweep below overwrites the jets
  const int B = js.B, S = js.S, R = B * S, L = layout_.layers(), d = shape_.dim, K = spec.K;
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
    const auto W = gemm::cols(p + layout_.weight_offset(l), win, out);
    const auto gW = gemm::cols(gp + layout_.weight_offset(l), win, out);
    const int ldg = gout.stride(1);
    const auto Gv = gemm::cols(gout.data(), B, out, ldg);  // value rows
    gemm::col_sums(Gv, one, Scalar(1), gp + layout_.bias_offset(l));
    if (spec.trace) {
      const auto Hv = gemm::cols(H(l).data(), B, win, R);
      gemm::add_weight_grad(Hv, Gv, gW);
      for (int i = 0; i < d; ++i) {  // ∂tr/∂W(i, :) = Σ_b gtr_b ḣᵢ, ∂tr/∂ḣᵢ = gtr_b W(i, :)
        const auto Hi = gemm::cols(H(l).data() + (1 + i) * B, B, win, R);
        gemm::col_sums(Hi, gtrace.data(), Scalar(1), gp + layout_.weight_offset(l) + i * win);
        gemm::product<Scalar>('N', 'N', 1, gemm::cols(gtrace.data(), B, 1), gemm::cols(W.data() + i * win, 1, win), 0,
                              Hi);
      }
      gemm::input_grad(Gv, W, Hv);
    } else {
      const auto G = gemm::cols(gout.data(), R, out, ldg);
      gemm::add_weight_grad(H(l), G, gW);
      gemm::input_grad(G, W, H(l));
    }
  }
  for (int l = L - 2; l >= 0; --l) {
    const int win = layout_.width(l), wout = layout_.width(l + 1);
    jet::activation_reverse(H(l + 1), shared_tangents(l + 1, spec), gemm::cols(js.U[l].data(), B, wout), shape_.activation,
                            beta, j, Z(l));
    const auto G = Z(l);
    const auto W = gemm::cols(p + layout_.weight_offset(l), win, wout);
    const auto gW = gemm::cols(gp + layout_.weight_offset(l), win, wout);
    if (l > 0) {
      gemm::add_weight_grad(H(l), G, gW);
      gemm::col_sums(gemm::cols(G.data(), B, wout, R), one, Scalar(1), gp + layout_.bias_offset(l));
      gemm::input_grad(G, W, H(l));
      continue;
    }
    // Input layer: the value rows depend on x and the weights, the tangent slots on the
    // weights only (the Laplacian slot on neither).
    const auto Gv = gemm::cols(G.data(), B, w1, R);
    gemm::add_weight_grad(gemm::cols(js.Hin.data(), B, in), Gv, gW);
    // Σ_b of every (unit, slot): G is also the (B × w1·S) matrix of leading dimension B whose
    // column o·S + s is unit o, slot s.
    gemm::col_sums(gemm::cols(G.data(), B, w1 * S), one, Scalar(0), colsum_.data());
    jet::input_tangents_grad(colsum_, shape_, t, j, gparams, layout_.weight_offset(0), layout_.bias_offset(0));
    if (spec.tangents == Tangents::probes)
      for (int k = 0; k < K; ++k)  // gW0[:, :d] += Σ_b ε_k ⊗ ∂L/∂ż_k
        gemm::product<Scalar>('N', 'N', 1, gemm::cols(probes.data() + k * d, d, B, K * d),
                              gemm::cols(G.data() + (1 + k) * B, B, w1, R), 1, gemm::cols(gW.data(), d, w1, in));
    // gx (row-major B × d) is the (d × B) column-major matrix W0[:d, :] · Gvᵀ.
    gemm::product<Scalar>('N', 'T', 1, gemm::cols(W.data(), d, w1, in), Gv, 0,
                          gemm::cols(gx.data(), d, B, int(gx.stride(0))));
  }
}

template class Mlp<double>;
template class Mlp<float>;

}  // namespace boltzflow::nn
