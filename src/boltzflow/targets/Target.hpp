#pragma once
// A Boltzmann target rho(x) ∝ exp(-U(x)): batched energy, gradient and Laplacian over
// particle Views, plus what is known in closed form (log Z, exact sampler, modes).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "boltzflow/core/Types.hpp"

namespace boltzflow {

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string name() const = 0;
  virtual int dim() const = 0;

  // U(x_i) for every row of x (n, d) -> U (n).
  virtual void energy(const Particles& x, const Scalars& U) const = 0;
  // U and its gradient (n, d) in one pass.
  virtual void gradient(const Particles& x, const Scalars& U, const Particles& gradU) const = 0;
  // Laplacian ΔU (n).
  virtual void laplacian(const Particles& x, const Scalars& lapU) const = 0;

  // log Z of exp(-U) exactly as U is written (NaN-free only when has_log_z()).
  virtual bool has_log_z() const { return false; }
  virtual double log_z() const { return 0.0; }

  // Exact samples: row i of x gets the draw of global id first_id + i (rank-count independent).
  virtual bool has_sampler() const { return false; }
  virtual void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const;

  // Modes: K labels; assign_modes writes a label in [0, K) (or -1: none) per particle.
  virtual int num_modes() const { return 0; }
  virtual std::vector<double> mode_weights() const { return {}; }  // exact weights, size K
  virtual void assign_modes(const Particles& x, const Vector<int>& label) const;

  // Parameters to store in output files (generated means, sigmas, ...): name -> (rows, cols, values).
  struct Table {
    std::size_t rows = 0, cols = 0;
    std::vector<double> values;
  };
  virtual std::map<std::string, Table> parameters() const { return {}; }
};

}  // namespace boltzflow
