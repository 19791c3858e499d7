#include "boltzflow/nn/JetMlp.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/Gemm.hpp"

namespace boltzflow::nn {

bool MlpShape::operator==(const MlpShape& o) const {
  return dim == o.dim && outputs == o.outputs && width == o.width && depth == o.depth && activation == o.activation &&
         softplus_beta == o.softplus_beta && time == o.time && (time != TimeInput::fourier || fourier_features == o.fourier_features);
}

template <class Scalar>
JetMlp<Scalar>::JetMlp(const MlpShape& shape, std::uint64_t init_seed, bool zero_last) : shape_(shape) {
  BOLTZFLOW_ASSERT(shape.dim > 0 && shape.outputs > 0 && shape.width > 0 && shape.depth >= 0, "bad MLP shape");
  widths_.push_back(shape.inputs());
  for (int l = 0; l < shape.depth; ++l) widths_.push_back(shape.width);
  widths_.push_back(shape.outputs);
  std::size_t n = 0;
  for (int l = 0; l + 1 < int(widths_.size()); ++l) {
    offsets_.push_back(n);
    n += std::size_t(widths_[l + 1]) * (widths_[l] + 1);
  }
  params_ = Vec("boltzflow::nn::params", n);
  // PyTorch's default: W, b ~ U(±1/√fan_in), drawn from (seed, parameter index).
  auto h = Kokkos::create_mirror_view(params_);
  const Rng rng(init_seed, Stream::network_init);
  for (int l = 0; l < layers(); ++l) {
    const double bound = 1.0 / std::sqrt(double(widths_[l]));
    const bool zero = zero_last && l == layers() - 1;
    for (std::size_t k = offsets_[l]; k < offsets_[l] + std::size_t(widths_[l + 1]) * (widths_[l] + 1); ++k)
      h(k) = zero ? Scalar(0) : Scalar(bound * (2 * rng.uniform(k, 0, 0) - 1));
  }
  Kokkos::deep_copy(params_, h);
}

template <class Scalar>
void JetMlp<Scalar>::reserve(std::size_t rows) {
  if (rows <= rows_) return;
  rows_ = rows;
  int wmax = 0;
  for (int w : widths_) wmax = w > wmax ? w : wmax;
  H_.clear();
  Z_.clear();
  for (int l = 0; l < layers(); ++l) {
    H_.emplace_back(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::H"), rows, widths_[l]);
    Z_.emplace_back(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::Z"), rows, widths_[l + 1]);
  }
  G_ = Mat(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::G"), rows, wmax);
  GH_ = Mat(Kokkos::view_alloc(Kokkos::WithoutInitializing, "boltzflow::nn::GH"), rows, wmax);
}

template <class Scalar>
void JetMlp<Scalar>::fill_input(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes) {
  const int B = x.extent(0), d = shape_.dim, S = spec.slots(), K = spec.K, nin = widths_[0];
  const int F = shape_.time == TimeInput::fourier ? shape_.fourier_features : 0;
  const bool has_t = shape_.time != TimeInput::none, lap = spec.laplacian;
  const Tangents tan = spec.tangents;
  const Mat H = H_[0];
  const Scalar two_pi = Scalar(2 * constants::pi);
  Kokkos::parallel_for(
      "boltzflow::nn::jet_input", Kokkos::RangePolicy<ExecSpace>(0, B), KOKKOS_LAMBDA(const int b) {
        const int base = b * S;
        for (int s = 0; s < S; ++s)
          for (int j = 0; j < nin; ++j) H(base + s, j) = 0;
        for (int j = 0; j < d; ++j) H(base, j) = x(b, j);
        if (has_t) {  // features t, sin 2πkt, cos 2πkt, and their t-derivatives on the time tangent
          H(base, d) = t;
          for (int k = 1; k <= F; ++k) {
            H(base, d + 2 * k - 1) = kmath::sin(two_pi * k * t);
            H(base, d + 2 * k) = kmath::cos(two_pi * k * t);
          }
        }
        for (int i = 0; i < K; ++i) {
          const int row = base + 1 + i;
          if (tan == Tangents::probes) {
            for (int j = 0; j < d; ++j) H(row, j) = probes(b, i, j);
          } else if (i < d) {
            H(row, i) = 1;
          } else if (has_t) {  // basis_time: the time direction
            H(row, d) = 1;
            for (int k = 1; k <= F; ++k) {
              H(row, d + 2 * k - 1) = two_pi * k * kmath::cos(two_pi * k * t);
              H(row, d + 2 * k) = -two_pi * k * kmath::sin(two_pi * k * t);
            }
          }
        }
        (void)lap;  // the Laplacian slot starts at zero: the input is linear in x
      });
}

template <class Scalar>
typename JetMlp<Scalar>::Mat JetMlp<Scalar>::forward(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes) {
  const int B = x.extent(0), S = spec.slots(), K = spec.K, R = B * S;
  BOLTZFLOW_ASSERT(int(x.extent(1)) == shape_.dim, "JetMlp::forward: x has the wrong dimension");
  reserve(R);
  fill_input(x, t, spec, probes);
  const int nx = spec.tangents == Tangents::basis_time ? K - 1 : K;  // x-tangents enter the Laplacian
  const bool lap = spec.laplacian;
  const Activation act = shape_.activation;
  const Scalar beta = Scalar(shape_.softplus_beta);
  const auto params = params_;
  for (int l = 0; l < layers(); ++l) {
    const int in = widths_[l], out = widths_[l + 1];
    const Mat H = H_[l], Z = Z_[l];
    gemm::forward(params.data() + offsets_[l], out, in, H.data(), Z.data(), R);
    const std::size_t boff = bias_offset(l);
    const bool last = l == layers() - 1;
    const Mat Hn = last ? Mat() : H_[l + 1];
    Kokkos::parallel_for(
        "boltzflow::nn::jet_activation", Kokkos::RangePolicy<ExecSpace>(0, B * out), KOKKOS_LAMBDA(const int idx) {
          const int b = idx / out, j = idx % out, base = b * S;
          const Scalar z0 = Z(base, j) + params(boff + j);
          Z(base, j) = z0;
          if (last) return;
          const auto a = activate<Scalar>(act, z0, beta);
          Hn(base, j) = a.s0;
          Scalar sumsq = 0;
          for (int s = 1; s <= K; ++s) {
            const Scalar zs = Z(base + s, j);
            Hn(base + s, j) = a.s1 * zs;
            if (s <= nx) sumsq += zs * zs;
          }
          if (lap) Hn(base + S - 1, j) = a.s1 * Z(base + S - 1, j) + a.s2 * sumsq;
        });
  }
  return Kokkos::subview(Z_[layers() - 1], Kokkos::make_pair(0, R), Kokkos::ALL());
}

template <class Scalar>
void JetMlp<Scalar>::backward(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes, const Mat& gout,
                              const Mat& gx, const Vec& gparams) {
  forward(x, t, spec, probes);
  const int B = x.extent(0), S = spec.slots(), K = spec.K, R = B * S, d = shape_.dim;
  const int nx = spec.tangents == Tangents::basis_time ? K - 1 : K;
  const bool lap = spec.laplacian;
  const Activation act = shape_.activation;
  const Scalar beta = Scalar(shape_.softplus_beta);
  const auto params = params_;
  // G holds the cotangent of the current layer's output z (R × out), row-major.
  Mat G(G_.data(), R, widths_.back());
  Kokkos::deep_copy(G, gout);
  for (int l = layers() - 1; l >= 0; --l) {
    const int in = widths_[l], out = widths_[l + 1];
    const Mat H = H_[l];
    gemm::weight_grad(G.data(), out, H.data(), in, gparams.data() + offsets_[l], R);
    const std::size_t boff = bias_offset(l);
    const Mat Gc = G;
    Kokkos::parallel_for(  // bias: value slots only; one thread per unit, deterministic order
        "boltzflow::nn::bias_grad", Kokkos::RangePolicy<ExecSpace>(0, out), KOKKOS_LAMBDA(const int j) {
          Scalar s = 0;
          for (int b = 0; b < B; ++b) s += Gc(b * S, j);
          gparams(boff + j) += s;
        });
    Mat GH(GH_.data(), R, in);
    gemm::input_grad(G.data(), out, params.data() + offsets_[l], in, GH.data(), R);
    if (l == 0) {
      Kokkos::parallel_for(
          "boltzflow::nn::input_grad", Kokkos::RangePolicy<ExecSpace>(0, B), KOKKOS_LAMBDA(const int b) {
            for (int j = 0; j < d; ++j) gx(b, j) = GH(b * S, j);
          });
      break;
    }
    // Through the activation jets of layer l−1 (pre-activations Z_[l−1]).
    const Mat Z = Z_[l - 1];
    G = Mat(G_.data(), R, in);
    const Mat Gn = G;
    Kokkos::parallel_for(
        "boltzflow::nn::jet_activation_grad", Kokkos::RangePolicy<ExecSpace>(0, B * in), KOKKOS_LAMBDA(const int idx) {
          const int b = idx / in, j = idx % in, base = b * S;
          const auto a = activate<Scalar>(act, Z(base, j), beta);
          Scalar g0 = GH(base, j) * a.s1, sumsq = 0;
          const Scalar gL = lap ? GH(base + S - 1, j) : Scalar(0);
          for (int s = 1; s <= K; ++s) {
            const Scalar zs = Z(base + s, j), gh = GH(base + s, j);
            Scalar gs = gh * a.s1;
            g0 += gh * a.s2 * zs;
            if (lap && s <= nx) {
              gs += 2 * gL * a.s2 * zs;
              sumsq += zs * zs;
            }
            Gn(base + s, j) = gs;
          }
          if (lap) {
            Gn(base + S - 1, j) = gL * a.s1;
            g0 += gL * (a.s2 * Z(base + S - 1, j) + a.s3 * sumsq);
          }
          Gn(base, j) = g0;
        });
  }
}

template class JetMlp<double>;
template class JetMlp<float>;

}  // namespace boltzflow::nn
