#include "boltzflow/nn/JetKernels.hpp"

#include <algorithm>

namespace boltzflow::nn::jet {

template <class Scalar>
void input_features(const Matrix<Scalar>& x, Scalar t, const MlpShape& shape, const Cols<Scalar>& Hin) {
  const int B = x.extent(0), d = shape.dim, in = shape.inputs();
  Kokkos::parallel_for(
      "boltzflow::nn::input_features", Kokkos::RangePolicy<ExecSpace>(0, B), KOKKOS_LAMBDA(const int b) {
        for (int c = 0; c < in; ++c) Hin(b, c) = c < d ? x(b, c) : time_feature(c - d, t);
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

// Every element (b, o) of B rows × w columns: b fastest (contiguous on a CPU, coalesced on a GPU).
using Block = Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2, Kokkos::Iterate::Left, Kokkos::Iterate::Left>>;

template <class Scalar>
void zero_slot(const Cols<Scalar>& Z, int slot, const JetDims& j) {
  const int B = j.B;
  Kokkos::parallel_for(
      "boltzflow::nn::zero_slot", Block({0, 0}, {B, int(Z.extent(1))}),
      KOKKOS_LAMBDA(const int b, const int o) { Z(slot * B + b, o) = 0; });
}

template <class Scalar>
void input_tangents_grad(const Vector<Scalar>& colsum, const MlpShape& shape, Scalar t, const JetDims& j,
                         const Vector<Scalar>& gparams, std::size_t w0, std::size_t b0) {
  const int d = shape.dim, in = shape.inputs(), w = shape.width, K = j.K, S = j.S;
  const bool basis = j.tangents != Tangents::probes;
  // One thread per weight (o, c) and bias o: deterministic, no atomics.
  Kokkos::parallel_for(
      "boltzflow::nn::input_tangents_grad", Kokkos::RangePolicy<ExecSpace>(0, w * (in + 1)), KOKKOS_LAMBDA(const int idx) {
        const int o = idx / (in + 1), c = idx % (in + 1);
        const std::size_t unit = std::size_t(o) * S;  // colsum of unit o, slot s at unit + s
        if (c == in) {
          gparams(b0 + o) += colsum(unit);
          return;
        }
        if (!basis) return;
        if (c < d) {
          if (c < K) gparams(w0 + std::size_t(o) * in + c) += colsum(unit + 1 + c);
        } else if (K > d) {  // time features, through the time tangent (slot d+1)
          gparams(w0 + std::size_t(o) * in + c) += colsum(unit + 1 + d) * time_feature_dt(c - d, t);
        }
      });
}

// Activation jets: one team per (unit o, chunk of particles), its threads over the chunk's
// particles, the slots in an outer loop. A CPU team (one thread) thus sweeps each slot's
// contiguous column segment in memory order (plain loops over raw pointers, which a compiler
// vectorizes); a GPU team reads it coalesced. The derivatives of a (particle, unit) are
// computed once, kept in team scratch and reused by all its slots.
using Team = Kokkos::TeamPolicy<ExecSpace>;
using Member = Team::member_type;
template <class Scalar>
using Scratch = Kokkos::View<Scalar*, ExecSpace::scratch_memory_space, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
constexpr int chunk = 512;  // particles per team

template <class Scalar>
Team team_policy(int particles, int w, int arrays, int& level) {
  const int n = std::min(chunk, particles), bytes = arrays * Scratch<Scalar>::shmem_size(n);
  level = bytes <= 32768 ? 0 : 1;
  const int chunks = (particles + chunk - 1) / chunk;
  return Team(w * chunks, Kokkos::AUTO).set_scratch_size(level, Kokkos::PerTeam(bytes));
}

// Calls f(i, zs) for the chunk's particles i, zs = the tangent input of slot s, unit o: the
// shared table's one value, or the i-th element of the column segment col. Two plain loops, so
// that each vectorizes.
template <class Scalar, class F>
KOKKOS_INLINE_FUNCTION void for_slot(const Member& team, const Scalar* shared, int w, int s, int o, const Scalar* col,
                                     int nb, const F& f) {
  if (shared) {
    const Scalar zs = shared[std::size_t(s - 1) * w + o];
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nb), [&](const int i) { f(i, zs); });
  } else {
    Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nb), [&](const int i) { f(i, col[i]); });
  }
}

template <class Scalar>
void activation_forward(const Cols<Scalar>& Z, const Scalar* shared, const Vector<Scalar>& params, std::size_t bias,
                        Activation act, Scalar beta, const JetDims& j, const Cols<Scalar>& H, const Cols<Scalar>& U) {
  const int B = j.B, S = j.S, K = j.K, nx = j.nx, w = Z.extent(1), n = std::min(chunk, B);
  const int chunks = (B + chunk - 1) / chunk;
  const bool lap = j.lap;
  int level = 0;
  const auto policy = team_policy<Scalar>(B, w, 3, level);
  Kokkos::parallel_for(
      "boltzflow::nn::activation_forward", policy, KOKKOS_LAMBDA(const Member& team) {
        const int o = team.league_rank() / chunks, b0 = (team.league_rank() % chunks) * chunk;
        const int nb = B - b0 < chunk ? B - b0 : chunk;
        const Scratch<Scalar> s1v(team.team_scratch(level), n), s2v(team.team_scratch(level), n),
            sqv(team.team_scratch(level), n);
        Scalar *s1 = s1v.data(), *s2 = s2v.data(), *sq = sqv.data();
        const auto column = [&](const Cols<Scalar>& M, int s) { return &M(s * B + b0, o); };  // slot s, unit o
        {
          Scalar *z = column(Z, 0), *h = column(H, 0), *u = &U(b0, o);
          const Scalar bo = params(bias + o);
          Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nb), [&](const int i) {
            const Scalar z0 = z[i] + bo;
            z[i] = z0;
            const auto a = activate<Scalar>(act, z0, beta);
            h[i] = a.s0;
            u[i] = a.u;
            s1[i] = a.s1;
            s2[i] = a.s2;
            sq[i] = 0;
          });
        }
        for (int s = 1; s <= K; ++s) {
          team.team_barrier();
          Scalar* h = column(H, s);
          const Scalar* zc = column(Z, s);
          if (lap && s <= nx)
            for_slot(team, shared, w, s, o, zc, nb, [&](const int i, const Scalar zs) {
              h[i] = s1[i] * zs;
              sq[i] += zs * zs;
            });
          else
            for_slot(team, shared, w, s, o, zc, nb, [&](const int i, const Scalar zs) { h[i] = s1[i] * zs; });
        }
        if (!lap) return;
        team.team_barrier();
        Scalar* h = column(H, S - 1);
        for_slot(team, shared, w, S - 1, o, column(Z, S - 1), nb,
                 [&](const int i, const Scalar zl) { h[i] = s1[i] * zl + s2[i] * sq[i]; });
      });
}

template <class Scalar>
void activation_reverse(const Cols<Scalar>& GH, const Scalar* shared, const Cols<Scalar>& U, Activation act,
                        Scalar beta, const JetDims& j, const Cols<Scalar>& Z) {
  const int B = j.B, S = j.S, K = j.K, nx = j.nx, w = Z.extent(1), n = std::min(chunk, B);
  const int chunks = (B + chunk - 1) / chunk;
  const bool lap = j.lap;
  int level = 0;
  const auto policy = team_policy<Scalar>(B, w, 6, level);
  Kokkos::parallel_for(
      "boltzflow::nn::activation_reverse", policy, KOKKOS_LAMBDA(const Member& team) {
        const int o = team.league_rank() / chunks, b0 = (team.league_rank() % chunks) * chunk;
        const int nb = B - b0 < chunk ? B - b0 : chunk;
        const Scratch<Scalar> s1v(team.team_scratch(level), n), s2v(team.team_scratch(level), n),
            s3v(team.team_scratch(level), n), gLv(team.team_scratch(level), n), g0v(team.team_scratch(level), n),
            sqv(team.team_scratch(level), n);
        Scalar *s1 = s1v.data(), *s2 = s2v.data(), *s3 = s3v.data(), *gL = gLv.data(), *g0 = g0v.data(),
               *sq = sqv.data();
        const auto column = [&](const Cols<Scalar>& M, int s) { return &M(s * B + b0, o); };  // slot s, unit o
        {
          const Scalar *z = column(Z, 0), *u = &U(b0, o), *gh = column(GH, 0), *ghl = column(GH, S - 1);
          Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nb), [&](const int i) {
            ActDerivs<Scalar> a;
            activation_derivs<Scalar>(act, z[i], u[i], beta, a);
            s1[i] = a.s1;
            s2[i] = a.s2;
            s3[i] = a.s3;
            gL[i] = lap ? ghl[i] : Scalar(0);
            g0[i] = gh[i] * a.s1;
            sq[i] = 0;
          });
        }
        // The tangent inputs are the shared table or Z's own rows, which are replaced in place by
        // their cotangents (each read before it is written).
        for (int s = 1; s <= K; ++s) {
          team.team_barrier();
          const Scalar* gh = column(GH, s);
          Scalar* gz = column(Z, s);
          if (lap && s <= nx)
            for_slot(team, shared, w, s, o, gz, nb, [&](const int i, const Scalar zs) {
              g0[i] += gh[i] * s2[i] * zs;
              gz[i] = gh[i] * s1[i] + 2 * gL[i] * s2[i] * zs;
              sq[i] += zs * zs;
            });
          else
            for_slot(team, shared, w, s, o, gz, nb, [&](const int i, const Scalar zs) {
              g0[i] += gh[i] * s2[i] * zs;
              gz[i] = gh[i] * s1[i];
            });
        }
        team.team_barrier();
        Scalar* gz = column(Z, 0);
        if (lap) {
          Scalar* gl = column(Z, S - 1);
          for_slot(team, shared, w, S - 1, o, gl, nb, [&](const int i, const Scalar zl) {
            gz[i] = g0[i] + gL[i] * (s2[i] * zl + s3[i] * sq[i]);
            gl[i] = gL[i] * s1[i];
          });
        } else {
          Kokkos::parallel_for(Kokkos::TeamThreadRange(team, nb), [&](const int i) { gz[i] = g0[i]; });
        }
      });
}

template <class Scalar>
void add_bias(const Cols<Scalar>& Z, const Vector<Scalar>& params, std::size_t bias, const JetDims& j) {
  Kokkos::parallel_for(
      "boltzflow::nn::add_bias", Block({0, 0}, {j.B, int(Z.extent(1))}),
      KOKKOS_LAMBDA(const int b, const int o) { Z(b, o) += params(bias + o); });
}

#define BOLTZFLOW_JET_KERNELS(S)                                                                                      \
  template void input_features<S>(const Matrix<S>&, S, const MlpShape&, const Cols<S>&);                             \
  template void basis_tangent_rows<S>(const Vector<S>&, std::size_t, const MlpShape&, S, const JetDims&,               \
                                      const Vector<S>&);                                                              \
  template void zero_slot<S>(const Cols<S>&, int, const JetDims&);                                                    \
  template void input_tangents_grad<S>(const Vector<S>&, const MlpShape&, S, const JetDims&, const Vector<S>&,         \
                                       std::size_t, std::size_t);                                                     \
  template void activation_forward<S>(const Cols<S>&, const S*, const Vector<S>&, std::size_t, Activation, S,        \
                                      const JetDims&, const Cols<S>&, const Cols<S>&);                                \
  template void activation_reverse<S>(const Cols<S>&, const S*, const Cols<S>&, Activation, S, const JetDims&,        \
                                      const Cols<S>&);                                                                \
  template void add_bias<S>(const Cols<S>&, const Vector<S>&, std::size_t, const JetDims&);
BOLTZFLOW_JET_KERNELS(double)
BOLTZFLOW_JET_KERNELS(float)
#undef BOLTZFLOW_JET_KERNELS

}  // namespace boltzflow::nn::jet
