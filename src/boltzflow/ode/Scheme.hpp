#pragma once
// Explicit Runge-Kutta schemes as Butcher tableaux (at most 4 stages): one description
// drives both the forward step and its discrete adjoint.
#include <string>

namespace boltzflow::ode {

enum class Scheme {
  euler,        // explicit Euler (1 stage)
  rk4_classic,  // classic RK4: c = (0, 1/2, 1/2, 1), b = (1, 2, 2, 1)/6
  rk4_38,       // Kutta's 3/8 rule = torchdiffeq's "rk4" (the default, for parity with the reference codes)
};

constexpr int max_stages = 4;

struct Tableau {
  int stages = 0;
  double a[max_stages][max_stages] = {};  // strictly lower triangular
  double b[max_stages] = {};
  double c[max_stages] = {};
};

Tableau tableau(Scheme s);
// "euler" | "rk4" (classic) | "rk4_38"; anything else is an InputError naming `key`.
Scheme scheme_from_string(const std::string& name, const std::string& key = "scheme");
std::string to_string(Scheme s);

}  // namespace boltzflow::ode
