#pragma once
// A fully connected network of (x, t) evaluated on many particles together with derivatives in
// x, propagated as jets: per particle the value h, K tangents ḣ⁽ⁱ⁾ and optionally the Laplacian
// term ḧ = Σᵢ ∂²h/∂xᵢ². The S = 1 + K (+1) slots of all particles are stacked as R = S·B rows
// (column-major, slot-major: JetKernels.hpp), so every hidden layer is ONE GEMM
// (R × w_in × w_out) plus one elementwise kernel:
//   z = W h + b:  ż = W ḣ, z̈ = W ḧ (bias on the value slot only)
//   h = σ(z):     σ(z), σ'(z) ż, σ'(z) z̈ + σ''(z) Σᵢ żᵢ²   (the sum over x-tangents only)
// The first layer's basis tangent slots are columns of its weights, the same for every
// particle: they are kept once (not per particle), and with exact divergence the last layer
// computes only the trace it needs.
// forward keeps its jets (the pre-activations Z, the activation jets H and one activation base
// per unit) and the inputs they came from (ForwardInputs, by value); backward on the same inputs
// back-propagates through them directly, otherwise it re-runs forward first. The reverse sweep
// gives ∂/∂θ (accumulated, deterministic: GEMMs and one-thread-per-weight loops) and ∂/∂x.
// All parameters live in one flat View; jet buffers are allocated once and grown on demand.
// Several jet sets can be kept (keep_jet_sets / use_jet_set): an ODE adjoint that tapes one set
// per stage evaluation back-propagates every stage without re-running its forward.
#include <cstdint>
#include <vector>

#include "boltzflow/core/Types.hpp"
#include "boltzflow/nn/ForwardInputs.hpp"
#include "boltzflow/nn/Gemm.hpp"
#include "boltzflow/nn/JetKernels.hpp"
#include "boltzflow/nn/MlpLayout.hpp"

namespace boltzflow::nn {

template <class Scalar>
class Mlp {
 public:
  using Mat = Matrix<Scalar>;
  using Vec = Vector<Scalar>;
  using Cols = gemm::ColMajor<Scalar>;  // a column-major block of a jet buffer
  using Probes = Kokkos::View<Scalar***, Kokkos::LayoutRight, MemSpace>;  // (B, K, d)

  // Weights and biases ~ U(±1/√fan_in) (PyTorch's default), drawn from Rng(init_seed,
  // Stream::network_init) keyed by parameter index; zero_last: last layer all zero.
  Mlp(const MlpShape& shape, std::uint64_t init_seed, bool zero_last);
  const MlpShape& shape() const { return shape_; }
  const MlpLayout& layout() const { return layout_; }
  std::size_t num_params() const { return layout_.num_params(); }
  Vec params() const { return params_; }  // the flat parameter View (shared, not a copy)

  // Forward jets of the B = x.extent(0) particles at time t. probes (B, K, d) only for
  // Tangents::probes.
  void forward(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes);
  // Output rows (R × outputs, column-major) of the last forward, row s·B + b = slot s of
  // particle b; with spec.trace only the value rows are computed. Workspace: valid until the
  // next call.
  Cols output() const;
  Vec trace() const;  // (B): Σᵢ ∂outᵢ/∂(tangent i), last forward with spec.trace
  // Bytes per particle of the workspace that forward keeps for backward (jets, activation
  // bases, recorded inputs) for a spec; the per-network part (params copy, shared tangent
  // rows) is not counted. The memory to budget when micro-batching.
  std::size_t workspace_bytes_per_particle(const JetSpec& spec) const;

  // Back-propagates the cotangent gout of the output rows (R × outputs; with spec.trace
  // (B × outputs), the value slots only) and gtrace (B) of the trace (spec.trace only) through
  // the jets of forward at these inputs (kept by the last forward if it had the same inputs,
  // else recomputed): writes gx (B × d) = ∂L/∂x and ACCUMULATES gparams += ∂L/∂θ. The kept
  // jets are overwritten by their cotangents: a second backward re-runs forward.
  void backward(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes, const Cols& gout,
                const Vec& gtrace, const Mat& gx, const Vec& gparams);
  // Frees the workspace (it grows again on the next forward): a model of many networks used
  // one after another then holds one network's workspace, not one per network.
  void release();
  std::size_t workspace_bytes() const;  // held now, all jet sets

  // Exactly n >= 1 independent jet sets (each a forward's Z, H, U, inputs; extra ones are
  // freed); forward and backward work on the one selected by use_jet_set (0 after
  // construction and release()).
  void keep_jet_sets(int n);
  void use_jet_set(int i);
  long forward_runs() const { return forward_runs_; }  // forwards so far, including backward's re-runs

 private:
  void reserve(int B, int S);
  Cols Z(int l) const;  // pre-activations of layer l (R × width(l+1)); reverse: their cotangent
  Cols H(int l) const;  // input jets of layer l >= 1 (R × width(l)); reverse: their cotangent
  JetDims dims(int B, const JetSpec& spec, const Probes& probes) const;
  // The first layer's shared basis tangent rows when activation l reads them, else nullptr.
  const Scalar* shared_tangents(int l, const JetSpec& spec) const;

  // What one forward keeps for backward. Flat buffers, grown on demand, viewed column-major
  // with leading dimension R (or B).
  struct JetSet {
    int B = 0, S = 0;             // of its forward
    Vec Hin;                      // (B × inputs): value slot of the input (the other slots are constant)
    std::vector<Vec> Z, H, U;     // per layer (R × width); H[0] unused; U (B × width), hidden layers only
    Vec T0;                       // ((S−1) × width(1)), row-major: the first layer's basis tangent rows
    ForwardInputs<Scalar> kept;   // what Z, H, U were computed from
  };
  JetSet& cur() { return sets_[active_]; }
  const JetSet& cur() const { return sets_[active_]; }
  JetSet empty_set() const;

  MlpShape shape_;
  MlpLayout layout_;
  Vec params_;
  std::vector<JetSet> sets_;
  int active_ = 0;
  long forward_runs_ = 0;
  Vec ones_, trace_, colsum_;  // shared scratch (trace_: output of the last forward)
};

}  // namespace boltzflow::nn
