#include "boltzflow/samplers/fisher_rao/TimeNet.hpp"

namespace boltzflow::fisher_rao {

namespace {
nn::MlpShape time_shape(int width, int depth, nn::Activation act) {
  nn::MlpShape s;
  s.dim = 1;
  s.outputs = 1;
  s.width = width;
  s.depth = depth;
  s.activation = act;
  s.time = nn::TimeInput::none;  // t enters as the input coordinate
  return s;
}
}  // namespace

TimeNet::TimeNet(int width, int depth, nn::Activation act, std::uint64_t init_seed, bool zero_last)
    : net_(time_shape(width, depth, act), init_seed, zero_last),
      x_("boltzflow::fisher_rao::time_x", 1, 1),
      grad_("boltzflow::fisher_rao::time_grad", 1, 1),
      gx_("boltzflow::fisher_rao::time_gx", 1, 1),
      ggrad_("boltzflow::fisher_rao::time_ggrad", 1, 1),
      f_("boltzflow::fisher_rao::time_f", 1),
      gf_("boltzflow::fisher_rao::time_gf", 1) {}

void TimeNet::set_input(double t) {
  auto h = Kokkos::create_mirror_view(x_);
  h(0, 0) = t;
  Kokkos::deep_copy(x_, h);
}

std::pair<double, double> TimeNet::eval(double t) {
  set_input(t);
  net_.evaluate(x_, 0.0, {true, false, false}, f_, grad_, none_, none_);
  auto hf = Kokkos::create_mirror_view_and_copy(HostSpace(), f_);
  auto hg = Kokkos::create_mirror_view_and_copy(HostSpace(), grad_);
  return {hf(0), hg(0, 0)};
}

void TimeNet::vjp(double t, double gc, double gdc, const Vec& gparams) {
  set_input(t);
  auto hf = Kokkos::create_mirror_view(gf_);
  auto hg = Kokkos::create_mirror_view(ggrad_);
  hf(0) = gc;
  hg(0, 0) = gdc;
  Kokkos::deep_copy(gf_, hf);
  Kokkos::deep_copy(ggrad_, hg);
  net_.vjp(x_, 0.0, {true, false, false}, gf_, ggrad_, none_, none_, gx_, gparams);
}

}  // namespace boltzflow::fisher_rao
