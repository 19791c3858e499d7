#pragma once
// A velocity field v_θ: R^d × [0,1] → R^d as a jet MLP, with exact divergence (d basis
// tangents, last layer reduced to the trace) or Hutchinson divergence (caller probes), and
// its vector-Jacobian product.
#include "boltzflow/nn/Mlp.hpp"
#include "boltzflow/nn/VelocityField.hpp"

namespace boltzflow::nn {

template <class Scalar>
class VelocityMlp : public VelocityField<Scalar> {
 public:
  using typename VelocityField<Scalar>::Mat;
  using typename VelocityField<Scalar>::Vec;
  using typename VelocityField<Scalar>::Probes;

  // shape.outputs is set to shape.dim.
  VelocityMlp(MlpShape shape, std::uint64_t init_seed, bool zero_last);
  int dim() const override { return net_.shape().dim; }
  std::size_t num_params() const override { return net_.num_params(); }
  Vec params() const override { return net_.params(); }
  const MlpShape& shape() const { return net_.shape(); }
  const MlpLayout& layout() const { return net_.layout(); }

  void forward(const Mat& x, Scalar t, DivMode mode, const Probes& probes, const Mat& v, const Vec& div) const override;
  void vjp(const Mat& x, Scalar t, DivMode mode, const Probes& probes, const Mat& gv, const Vec& gdiv, const Mat& gx,
           const Vec& gparams) const override;
  // Kept jets, recorded inputs and cotangent rows per particle.
  std::size_t workspace_bytes_per_particle(DivMode mode, int probes) const override;
  void release_workspace() const override;
  void keep_workspaces(int n) const override { net_.keep_jet_sets(n); }
  void use_workspace(int i) const override { net_.use_jet_set(i); }
  long network_forwards() const { return net_.forward_runs(); }  // jet forwards run (vjp re-runs included)
  std::size_t workspace_bytes() const { return net_.workspace_bytes() + gout_.extent(0) * sizeof(Scalar); }  // held now

 private:
  mutable Mlp<Scalar> net_;  // holds the reusable jet workspace
  mutable Vec gout_;         // cotangent rows, column-major (grown on demand)
};

}  // namespace boltzflow::nn
