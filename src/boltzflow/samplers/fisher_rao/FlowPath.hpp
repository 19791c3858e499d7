#pragma once
// The base density and the integration path shared by sampling, NLL and the trajectory
// collocation: draws from N(0, s²I) keyed by global id, log N(z; 0, s²I), and an RK path of
// equal steps with one ode::Integrator call per step (so positions can be recorded).
#include <cstdint>
#include <functional>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/VelocityField.hpp"
#include "boltzflow/ode/Scheme.hpp"

namespace boltzflow::fisher_rao {

// log N(z; 0, s² I) of every row.
void log_base(const Particles& z, double s, const Scalars& out);
// x(i, ·) = s·N(0, I) draws of global ids first + i at `step`.
void draw_base(const Rng& rng, std::uint64_t first, std::uint32_t step, double s, const Particles& x);
// x from ta to tb in `steps` equal steps; ell, omega (may be empty) accumulate ∫∇·v dt and
// ∫‖v‖² dt, signed with tb − ta; record(k) is called after step k (and not for k = 0).
// Returns the number of velocity evaluations.
long integrate_path(const nn::VelocityField<Real>& v, ode::Scheme scheme, double ta, double tb, int steps,
                    nn::DivMode div, const Particles& x, const Scalars& ell, const Scalars& omega,
                    const std::function<void(int)>& record);

}  // namespace boltzflow::fisher_rao
