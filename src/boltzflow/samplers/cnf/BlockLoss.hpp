#pragma once
// The per-block CNF objective on one minibatch and its exact parameter gradient:
//   L = (1/B) Σ_b [ E(x_b(t1)) − ℓ_b + γ ω_b ],   (x, ℓ, ω)' = (v, ∇·v, ‖v‖²),
// discretised with the block's fixed steps and differentiated through them (the
// integrator's discrete adjoint, cotangents ∂/∂x(t1) = ∇E, ∂/∂ℓ = −1, ∂/∂ω = γ per row).
// Annealing Flow: E = E_k (annealed energy); neural JKO: E = U and γ = 1/τ.
// The rows are solved in micro-batches that fit a memory budget; sums and gradients add up.
// When a rank's whole batch fits the budget with one velocity workspace per stage evaluation,
// the gradient solve keeps them, so the adjoint re-runs no forward (same micro-batches, so the
// same numbers, in about 2/3 of the time for small networks).
#include <functional>

#include "boltzflow/samplers/cnf/CnfBlock.hpp"
#include "boltzflow/samplers/cnf/MicroBatch.hpp"

namespace boltzflow::cnf {

// Terminal energy: E(x_i) and ∇E(x_i) for every row of x.
using EnergyFn = std::function<void(const Particles& x, const Scalars& E, const Particles& gradE)>;

enum class ProbeKind { gaussian, rademacher };

struct BlockObjective {
  EnergyFn energy;
  double gamma = 0.0;                      // weight of the kinetic action ω
  nn::DivMode div = nn::DivMode::exact;    // exact or hutchinson (training only)
  int probes = 1;                          // Hutchinson probes per particle
  ProbeKind probe_kind = ProbeKind::gaussian;
};

// Sums over this rank's rows (divide by the GLOBAL batch for means).
struct LossSums {
  double energy = 0, divergence = 0, kinetic = 0;
  double loss(double gamma) const { return energy - divergence + gamma * kinetic; }
  LossSums& operator+=(const LossSums& o) {
    energy += o.energy;
    divergence += o.divergence;
    kinetic += o.kinetic;
    return *this;
  }
};

using Probes = nn::VelocityField<Real>::Probes;

// Probes (n, K, d) for the particles with global ids `ids`, fixed for one solve: keyed by
// (global id, block, iteration), hence independent of the rank count.
void fill_probes(const Probes& probes, const Vector<std::uint64_t>& ids, int count, ProbeKind kind,
                 std::uint64_t seed, int block, long iteration);

// Rows per micro-batch of the loss and its gradient (taped solves) under `budget`; with
// field_workspaces, when the velocity also keeps one workspace per stage evaluation.
int loss_rows(const CnfBlock& block, const BlockObjective& objective, MemoryBudget budget,
              bool field_workspaces = false);

class BlockLoss {
 public:
  BlockLoss(const CnfBlock& block, BlockObjective objective, MemoryBudget budget);
  const BlockObjective& objective() const { return obj_; }
  int micro_batch() const { return micro_; }  // rows per solve
  // Whether a gradient evaluation of `count` rows keeps one field workspace per stage.
  bool keeps_stage_workspaces(int count) const { return count <= micro_ws_; }
  // Loss sums of the first `count` rows of x0 (not modified). If gparams is not empty,
  // gparams += ∂/∂θ of Σ_b [E − ℓ + γω] (the SUM: divide by the global batch afterwards).
  LossSums evaluate(const Particles& x0, int count, const Probes& probes, const Vector<Real>& gparams);
  long nfe() const { return integrator_.nfe(); }

 private:
  // One micro-batch: rows [a, a + m) of x0 and probes.
  LossSums solve(const Particles& x0, int a, int m, const Probes& probes, const Vector<Real>& gparams);
  void reserve(int n);
  CnfBlock block_;
  BlockObjective obj_;
  ode::Integrator<Real> integrator_;
  int micro_, micro_ws_;  // rows per micro-batch: one field workspace / one per stage evaluation
  int cap_ = -1;
  Particles x_, gx_;
  Scalars ell_, omega_, E_, gell_, gomega_;
};

}  // namespace boltzflow::cnf
