#include "boltzflow/samplers/interpolant/InterpolantLoss.hpp"

#include <string>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::interpolant {

namespace {
template <class Mat>
void ensure(Mat& m, int rows, int cols, const char* label) {
  if (int(m.extent(0)) < rows || int(m.extent(1)) != cols) {
    m = Mat();
    m = Mat(Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label)), rows, cols);
  }
}
}  // namespace

template <class Scalar>
int InterpolantLoss<Scalar>::build(double t, const Mat& x0, const Mat& x1, const Mat& z) {
  const int B = x0.extent(0), d = x0.extent(1);
  BOLTZFLOW_ASSERT(int(x1.extent(0)) == B && int(x1.extent(1)) == d, "InterpolantLoss: x0 and x1 differ in shape");
  const bool noisy = path_.noisy();
  BOLTZFLOW_ASSERT(!noisy || (int(z.extent(0)) == B && int(z.extent(1)) == d), "InterpolantLoss: noise needs z");
  const int rows = noisy ? 2 * B : B;  // antithetic copies b + B carry −z
  ensure(xt_, rows, d, "boltzflow::interpolant::xt");
  ensure(u_, rows, d, "boltzflow::interpolant::u");
  const auto xt = xt_, u = u_;
  const Scalar a = path_.alpha(t), b = path_.beta(t), da = path_.dalpha(t), db = path_.dbeta(t);
  const Scalar g = path_.gamma(t), dg = path_.dgamma(t);
  Kokkos::parallel_for(
      "boltzflow::interpolant::build", Kokkos::RangePolicy<ExecSpace>(0, rows), KOKKOS_LAMBDA(const int r) {
        const int i = r < B ? r : r - B;
        const Scalar s = r < B ? Scalar(1) : Scalar(-1);
        for (int j = 0; j < d; ++j) {
          const Scalar zz = noisy ? s * z(i, j) : Scalar(0);
          xt(r, j) = a * x0(i, j) + b * x1(i, j) + g * zz;
          u(r, j) = da * x0(i, j) + db * x1(i, j) + dg * zz;
        }
      });
  return rows;
}

template <class Scalar>
double InterpolantLoss<Scalar>::evaluate(const nn::VelocityField<Scalar>& field, double t, int rows,
                                         bool with_cotangent) {
  const int d = xt_.extent(1);
  ensure(v_, rows, d, "boltzflow::interpolant::v");
  const auto xt = Kokkos::subview(xt_, Kokkos::make_pair(0, rows), Kokkos::ALL());
  const Mat v = Kokkos::subview(v_, Kokkos::make_pair(0, rows), Kokkos::ALL());
  field.forward(Mat(xt), Scalar(t), nn::DivMode::none, {}, v, {});
  const auto u = u_;
  const double w = path_.noisy() ? 0.5 : 1.0;  // antithetic pair averaged
  if (with_cotangent) ensure(gv_, rows, d, "boltzflow::interpolant::gv");
  const auto gv = gv_;
  double sum = 0;
  Kokkos::parallel_reduce(
      "boltzflow::interpolant::loss", Kokkos::RangePolicy<ExecSpace>(0, rows),
      KOKKOS_LAMBDA(const int r, double& acc) {
        double l = 0;
        for (int j = 0; j < d; ++j) {
          l += double(v(r, j)) * (double(v(r, j)) - 2.0 * double(u(r, j)));
          if (with_cotangent) gv(r, j) = Scalar(2 * w) * (v(r, j) - u(r, j));
        }
        acc += w * l;
      },
      sum);
  return sum;
}

template <class Scalar>
double InterpolantLoss<Scalar>::value(const nn::VelocityField<Scalar>& v, double t, const Mat& x0, const Mat& x1,
                                      const Mat& z) {
  if (x0.extent(0) == 0) return 0.0;
  return evaluate(v, t, build(t, x0, x1, z), false);
}

template <class Scalar>
double InterpolantLoss<Scalar>::accumulate(const nn::VelocityField<Scalar>& v, double t, const Mat& x0, const Mat& x1,
                                           const Mat& z, const Vec& gparams) {
  if (x0.extent(0) == 0) return 0.0;
  const int rows = build(t, x0, x1, z);
  const double sum = evaluate(v, t, rows, true);
  const int d = x0.extent(1);
  ensure(gx_, rows, d, "boltzflow::interpolant::gx");
  const auto sub = Kokkos::make_pair(0, rows);
  v.vjp(Mat(Kokkos::subview(xt_, sub, Kokkos::ALL())), Scalar(t), nn::DivMode::none, {},
        Mat(Kokkos::subview(gv_, sub, Kokkos::ALL())), {}, Mat(Kokkos::subview(gx_, sub, Kokkos::ALL())), gparams);
  return sum;
}

template class InterpolantLoss<double>;
template class InterpolantLoss<float>;

}  // namespace boltzflow::interpolant
