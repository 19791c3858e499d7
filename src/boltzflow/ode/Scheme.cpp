#include "boltzflow/ode/Scheme.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::ode {

Tableau tableau(Scheme s) {
  Tableau t;
  switch (s) {
    case Scheme::euler:
      t.stages = 1;
      t.b[0] = 1;
      break;
    case Scheme::rk4_classic:
      t.stages = 4;
      t.a[1][0] = 0.5;
      t.a[2][1] = 0.5;
      t.a[3][2] = 1;
      t.b[0] = t.b[3] = 1.0 / 6;
      t.b[1] = t.b[2] = 1.0 / 3;
      t.c[1] = t.c[2] = 0.5;
      t.c[3] = 1;
      break;
    case Scheme::rk4_38:
      t.stages = 4;
      t.a[1][0] = 1.0 / 3;
      t.a[2][0] = -1.0 / 3;
      t.a[2][1] = 1;
      t.a[3][0] = 1;
      t.a[3][1] = -1;
      t.a[3][2] = 1;
      t.b[0] = t.b[3] = 0.125;
      t.b[1] = t.b[2] = 0.375;
      t.c[1] = 1.0 / 3;
      t.c[2] = 2.0 / 3;
      t.c[3] = 1;
      break;
  }
  return t;
}

Scheme scheme_from_string(const std::string& name, const std::string& key) {
  if (name == "euler") return Scheme::euler;
  if (name == "rk4") return Scheme::rk4_classic;
  if (name == "rk4_38") return Scheme::rk4_38;
  throw InputError(key + " = " + name + " is not one of: euler, rk4, rk4_38");
}

std::string to_string(Scheme s) {
  switch (s) {
    case Scheme::euler: return "euler";
    case Scheme::rk4_classic: return "rk4";
    case Scheme::rk4_38: return "rk4_38";
  }
  return "?";
}

}  // namespace boltzflow::ode
