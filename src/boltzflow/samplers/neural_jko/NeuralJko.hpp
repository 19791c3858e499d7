#pragma once
// run.method = neural_jko: importance-corrected neural JKO sampling (Hertrich & Gruhlke,
// arXiv 2407.20444; methods.md §2). n_flow CNF steps, then n_rej blocks of (1 CNF step +
// rejections_per_block importance rejection steps). CNF step k is a fresh velocity MLP (zero
// last layer, time input) trained by the shared cnf block trainer on
//   mean U(z(1)) − mean(ℓ(1) + e(x)) + mean ω(1)/τ_k,   τ_k = τ0·base^k,
// over the dataset, which is regenerated from the full model after every CNF step and updated
// in place by every rejection step. Output samples carry x, U and log q = −e (exact).
//
// Checkpoints (RunState): the complete state after each step of the plan, every
// run.checkpoint_every steps and on a stop signal; a signal during a CNF step's training
// abandons that step. NaN/Inf in a loss or gradient (the block trainer) or in a sample or its
// energy (checked after every step and the output draw) is a NumericalError naming the step.
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/neural_jko/Model.hpp"
#include "boltzflow/samplers/neural_jko/NeuralJkoOptions.hpp"

namespace boltzflow::neural_jko {

class NeuralJko : public Sampler {
 public:
  explicit NeuralJko(const config::Options& opts);
  SampleSet run(RunContext& ctx) override;
  const NeuralJkoConfig& config() const { return cfg_; }

 private:
  NeuralJkoConfig cfg_;
};

}  // namespace boltzflow::neural_jko
