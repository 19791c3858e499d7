#include "boltzflow/nn/JetKernels.hpp"


namespace boltzflow::nn::jet {

template <class Scalar>
void input_features(const Matrix<Scalar>& x, Scalar t, const MlpShape& shape, const Matrix<Scalar>& Hin) {
  const int B = x.extent(0), d = shape.dim, in = shape.inputs();
  Kokkos::parallel_for(
      "boltzflow::nn::input_features", Kokkos::RangePolicy<ExecSpace>(0, B * in), KOKKOS_LAMBDA(const int idx) {
        const int b = idx / in, c = idx % in;
        Hin(b, c) = c < d ? x(b, c) : time_feature(c - d, t);
      });
}

template <class Scalar>
void basis_tangent_rows(const Vector<Scalar>& params, std::size_t w0, const MlpShape& shape, Scalar t,
                        const JetDims& j, const Vector<Scalar>& T) {
  const int d = shape.dim, in = shape.inputs(), w = shape.width, tf = shape.time_features(), K = j.K;
  Kokkos::parallel_for(
      "boltzflow::nn::basis_tangent_rows", Kokkos::RangePolicy<ExecSpace>(0, (j.S - 1) * w),
      KOKKOS_LAMBDA(const int idx) {
        const int i = idx / w, o = idx % w;  // tangent i (i = K: the Laplacian row)
        Scalar z = 0;
        if (i < K && i < d) {
          z = params(w0 + std::size_t(o) * in + i);
        } else if (i < K) {  // the time direction
          for (int c = 0; c < tf; ++c) z += params(w0 + std::size_t(o) * in + d + c) * time_feature_dt(c, t);
        }
        T(idx) = z;
      });
}

template <class Scalar>
void zero_slot(const Matrix<Scalar>& Z, int slot, const JetDims& j) {
  const int w = Z.extent(1), S = j.S;
  Kokkos::parallel_for(
      "boltzflow::nn::zero_slot", Kokkos::RangePolicy<ExecSpace>(0, j.B * w),
      KOKKOS_LAMBDA(const int idx) { Z((idx / w) * S + slot, idx % w) = 0; });
}

template <class Scalar>
void input_tangents_grad(const Vector<Scalar>& colsum, const MlpShape& shape, Scalar t, const JetDims& j,
                         const Vector<Scalar>& gparams, std::size_t w0, std::size_t b0) {
  const int d = shape.dim, in = shape.inputs(), w = shape.width, K = j.K;
  const bool basis = j.tangents != Tangents::probes;
  // One thread per weight (o, c) and bias o: deterministic, no atomics.
  Kokkos::parallel_for(
      "boltzflow::nn::input_tangents_grad", Kokkos::RangePolicy<ExecSpace>(0, w * (in + 1)), KOKKOS_LAMBDA(const int idx) {
        const int o = idx / (in + 1), c = idx % (in + 1);
        if (c == in) {
          gparams(b0 + o) += colsum(o);
          return;
        }
        if (!basis) return;
        if (c < d) {
          if (c < K) gparams(w0 + std::size_t(o) * in + c) += colsum(std::size_t(1 + c) * w + o);
        } else if (K > d) {  // time features, through the time tangent (slot d+1)
          gparams(w0 + std::size_t(o) * in + c) += colsum(std::size_t(1 + d) * w + o) * time_feature_dt(c - d, t);
        }
      });
}

// Activation jets: one team per particle, its threads over the units o, the slots in an outer
// loop. A CPU team (one thread) thus sweeps the particle's S × w block row by row, in memory
// order (a thread per unit walking the S rows ~w·8 bytes apart defeats the prefetcher and
// runs ~10× slower); a GPU team reads each row coalesced. Per-unit state (σ', sums) lives in
// team scratch.
using Team = Kokkos::TeamPolicy<ExecSpace>;
template <class Scalar>
using Scratch = Kokkos::View<Scalar*, ExecSpace::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

template <class Scalar>
Team team_policy(int particles, int w, int arrays, int& level) {
  const int bytes = arrays * Scratch<Scalar>::shmem_size(w);
  level = bytes <= 32768 ? 0 : 1;  // large widths: scratch in global memory
  return Team(particles, Kokkos::AUTO).set_scratch_size(level, Kokkos::PerTeam(bytes));
}

template <class Scalar>
void activation_forward(const Matrix<Scalar>& Z, const TangentRows<Scalar>& Tin, const Vector<Scalar>& params,
                        std::size_t bias, Activation act, Scalar beta, const JetDims& j, const Matrix<Scalar>& H,
                        const Matrix<Scalar>& U) {
  const int w = Z.extent(1), S = j.S, K = j.K, nx = j.nx;
  const bool lap = j.lap;
  int level = 0;
  const auto policy = team_policy<Scalar>(j.B, w, 3, level);
  Kokkos::parallel_for(
      "boltzflow::nn::activation_forward", policy, KOKKOS_LAMBDA(const Team::member_type& team) {
        const int b = team.league_rank(), base = b * S;
        const Scratch<Scalar> s1(team.team_scratch(level), w), s2(team.team_scratch(level), w),
            sumsq(team.team_scratch(level), w);
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, w), [&](const int o) {
          const Scalar z0 = Z(base, o) + params(bias + o);
          Z(base, o) = z0;
          const auto a = activate<Scalar>(act, z0, beta);
          H(base, o) = a.s0;
          U(b, o) = a.u;
          s1(o) = a.s1;
          s2(o) = a.s2;
          sumsq(o) = 0;
        });
        for (int s = 1; s <= K; ++s) {
          team.team_barrier();
          const bool in_lap = lap && s <= nx;
          Kokkos::parallel_for(Kokkos::TeamThreadRange(team, w), [&](const int o) {
            const Scalar zs = Tin(b, s, w, o);
            H(base + s, o) = s1(o) * zs;
            if (in_lap) sumsq(o) += zs * zs;
          });
        }
        if (!lap) return;
        team.team_barrier();
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, w), [&](const int o) {
          H(base + S - 1, o) = s1(o) * Tin(b, S - 1, w, o) + s2(o) * sumsq(o);
        });
      });
}

template <class Scalar>
void activation_reverse(const Matrix<Scalar>& GH, const TangentRows<Scalar>& Tin, const Matrix<Scalar>& U,
                        Activation act, Scalar beta, const JetDims& j, const Matrix<Scalar>& Z) {
  const int w = Z.extent(1), S = j.S, K = j.K, nx = j.nx;
  const bool lap = j.lap;
  int level = 0;
  const auto policy = team_policy<Scalar>(j.B, w, 6, level);
  Kokkos::parallel_for(
      "boltzflow::nn::activation_reverse", policy, KOKKOS_LAMBDA(const Team::member_type& team) {
        const int b = team.league_rank(), base = b * S;
        const Scratch<Scalar> s1(team.team_scratch(level), w), s2(team.team_scratch(level), w),
            s3(team.team_scratch(level), w), gL(team.team_scratch(level), w), g0(team.team_scratch(level), w),
            sumsq(team.team_scratch(level), w);
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, w), [&](const int o) {
          ActDerivs<Scalar> a;
          activation_derivs<Scalar>(act, Z(base, o), U(b, o), beta, a);
          s1(o) = a.s1;
          s2(o) = a.s2;
          s3(o) = a.s3;
          gL(o) = lap ? GH(base + S - 1, o) : Scalar(0);
          g0(o) = GH(base, o) * a.s1;
          sumsq(o) = 0;
        });
        for (int s = 1; s <= K; ++s) {
          team.team_barrier();
          const bool in_lap = lap && s <= nx;
          Kokkos::parallel_for(Kokkos::TeamThreadRange(team, w), [&](const int o) {
            const Scalar zs = Tin(b, s, w, o), gh = GH(base + s, o);
            g0(o) += gh * s2(o) * zs;
            Scalar gs = gh * s1(o);
            if (in_lap) {
              gs += 2 * gL(o) * s2(o) * zs;
              sumsq(o) += zs * zs;
            }
            Z(base + s, o) = gs;  // in place: zs has been read
          });
        }
        team.team_barrier();
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, w), [&](const int o) {
          Scalar g = g0(o);
          if (lap) {
            g += gL(o) * (s2(o) * Tin(b, S - 1, w, o) + s3(o) * sumsq(o));
            Z(base + S - 1, o) = gL(o) * s1(o);
          }
          Z(base, o) = g;
        });
      });
}

template <class Scalar>
void add_bias(const Matrix<Scalar>& Z, const Vector<Scalar>& params, std::size_t bias, const JetDims& j) {
  const int out = Z.extent(1), S = j.S;
  Kokkos::parallel_for(
      "boltzflow::nn::add_bias", Kokkos::RangePolicy<ExecSpace>(0, j.B * out), KOKKOS_LAMBDA(const int idx) {
        const int b = idx / out, o = idx % out;
        Z(b * S, o) += params(bias + o);
      });
}

#define BOLTZFLOW_JET_KERNELS(S)                                                                                      \
  template void input_features<S>(const Matrix<S>&, S, const MlpShape&, const Matrix<S>&);                           \
  template void basis_tangent_rows<S>(const Vector<S>&, std::size_t, const MlpShape&, S, const JetDims&,               \
                                      const Vector<S>&);                                                              \
  template void zero_slot<S>(const Matrix<S>&, int, const JetDims&);                                                  \
  template void input_tangents_grad<S>(const Vector<S>&, const MlpShape&, S, const JetDims&, const Vector<S>&,         \
                                       std::size_t, std::size_t);                                                     \
  template void activation_forward<S>(const Matrix<S>&, const TangentRows<S>&, const Vector<S>&, std::size_t,        \
                                      Activation, S, const JetDims&, const Matrix<S>&, const Matrix<S>&);             \
  template void activation_reverse<S>(const Matrix<S>&, const TangentRows<S>&, const Matrix<S>&, Activation, S,       \
                                      const JetDims&, const Matrix<S>&);                                              \
  template void add_bias<S>(const Matrix<S>&, const Vector<S>&, std::size_t, const JetDims&);
BOLTZFLOW_JET_KERNELS(double)
BOLTZFLOW_JET_KERNELS(float)
#undef BOLTZFLOW_JET_KERNELS

}  // namespace boltzflow::nn::jet
