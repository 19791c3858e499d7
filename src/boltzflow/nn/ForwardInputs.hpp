#pragma once
// The inputs of a network's last forward jets, kept BY VALUE: x, t, the jet spec, the probes
// and the parameters. The reverse sweep reuses the kept jets only when it is called on exactly
// these inputs; a caller may change any of them in place between the two calls (an optimizer
// step on the parameters, an integrator step on x), and then the sweep re-runs the forward.
// Comparing costs one pass over B·d(1 + K) + P scalars, far below one layer's product.
#include "boltzflow/core/Types.hpp"
#include "boltzflow/nn/JetKernels.hpp"

namespace boltzflow::nn {

template <class Scalar>
class ForwardInputs {
 public:
  using Mat = Matrix<Scalar>;
  using Vec = Vector<Scalar>;
  using Probes = Kokkos::View<Scalar***, Kokkos::LayoutRight, MemSpace>;  // (B, K, d)

  // Records the inputs of a forward (copies grown on demand, never shrunk).
  void record(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes, const Vec& params);
  // Whether (x, t, spec, probes, params) are the recorded ones, value for value (a NaN never
  // matches: the forward is then re-run, which is always correct).
  bool matches(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes, const Vec& params) const;
  void forget() { valid_ = false; }  // the kept jets were overwritten
  std::size_t bytes() const { return (x_.span() + probes_.span() + params_.span()) * sizeof(Scalar); }  // held copies

 private:
  bool valid_ = false;
  int B_ = 0, K_ = 0;
  Scalar t_ = 0;
  JetSpec spec_;
  Mat x_;       // (cap, d)
  Vec probes_;  // (cap·K·d) for probe tangents
  Vec params_;  // (P)
};

}  // namespace boltzflow::nn
