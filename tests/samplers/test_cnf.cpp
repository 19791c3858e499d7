// Tests of the shared CNF pieces (samplers/cnf): push/pull-back log-densities against closed
// forms and the discrete map's Jacobian, the block loss gradient against finite differences,
// and rank-count independence of block training.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Progress.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/TrajectoryWriter.hpp"
#include "boltzflow/samplers/cnf/BlockTrainer.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/samplers/cnf/CnfModel.hpp"
#include "boltzflow/samplers/cnf/Minibatch.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::cnf;

namespace {

using HostMat = Matrix<Real, HostSpace>;

// Test-only field v(x) = A x + c (parameters: A row-major, then c), written out by hand on the
// host: an independent reference for the integrator and the change of variables.
class LinearVelocity : public nn::VelocityField<Real> {
 public:
  LinearVelocity(int d, const std::vector<double>& A, const std::vector<double>& c) : d_(d), p_("linear_params", d * d + d) {
    auto h = Kokkos::create_mirror_view(p_);
    for (int i = 0; i < d * d; ++i) h(i) = A[i];
    for (int i = 0; i < d; ++i) h(d * d + i) = c[i];
    Kokkos::deep_copy(p_, h);
  }
  int dim() const override { return d_; }
  std::size_t num_params() const override { return p_.extent(0); }
  Vec params() const override { return p_; }
  std::size_t workspace_bytes_per_particle(nn::DivMode, int) const override { return 0; }  // closed form: no jets
  void forward(const Mat& x, Real, nn::DivMode mode, const Probes& probes, const Mat& v, const Vec& div) const override {
    auto p = Kokkos::create_mirror_view_and_copy(HostSpace(), p_);
    auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
    auto hv = Kokkos::create_mirror_view(v);
    auto hd = Kokkos::create_mirror_view(div);
    auto hp = Kokkos::create_mirror_view_and_copy(HostSpace(), probes);
    for (std::size_t b = 0; b < x.extent(0); ++b) {
      for (int i = 0; i < d_; ++i) {
        double s = p(d_ * d_ + i);
        for (int j = 0; j < d_; ++j) s += p(i * d_ + j) * hx(b, j);
        hv(b, i) = s;
      }
      if (mode == nn::DivMode::exact) {
        double t = 0;
        for (int i = 0; i < d_; ++i) t += p(i * d_ + i);
        hd(b) = t;
      } else if (mode == nn::DivMode::hutchinson) {
        const int K = probes.extent(1);
        double t = 0;
        for (int k = 0; k < K; ++k)
          for (int i = 0; i < d_; ++i)
            for (int j = 0; j < d_; ++j) t += hp(b, k, i) * p(i * d_ + j) * hp(b, k, j);
        hd(b) = t / K;
      }
    }
    Kokkos::deep_copy(v, hv);
    if (mode != nn::DivMode::none) Kokkos::deep_copy(div, hd);
  }
  void vjp(const Mat& x, Real, nn::DivMode mode, const Probes& probes, const Mat& gv, const Vec& gdiv, const Mat& gx,
           const Vec& gparams) const override {
    auto p = Kokkos::create_mirror_view_and_copy(HostSpace(), p_);
    auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
    auto hg = Kokkos::create_mirror_view_and_copy(HostSpace(), gv);
    auto hgd = Kokkos::create_mirror_view_and_copy(HostSpace(), gdiv);
    auto hp = Kokkos::create_mirror_view_and_copy(HostSpace(), probes);
    auto out = Kokkos::create_mirror_view(gx);
    auto gp = Kokkos::create_mirror_view_and_copy(HostSpace(), gparams);
    for (std::size_t b = 0; b < x.extent(0); ++b) {
      for (int j = 0; j < d_; ++j) {
        double s = 0;
        for (int i = 0; i < d_; ++i) s += p(i * d_ + j) * hg(b, i);
        out(b, j) = s;
      }
      for (int i = 0; i < d_; ++i) {
        gp(d_ * d_ + i) += hg(b, i);
        for (int j = 0; j < d_; ++j) {
          double g = hg(b, i) * hx(b, j);
          if (mode == nn::DivMode::exact && i == j) g += hgd(b);
          if (mode == nn::DivMode::hutchinson) {
            const int K = probes.extent(1);
            for (int k = 0; k < K; ++k) g += hgd(b) * hp(b, k, i) * hp(b, k, j) / K;
          }
          gp(i * d_ + j) += g;
        }
      }
    }
    Kokkos::deep_copy(gx, out);
    Kokkos::deep_copy(gparams, gp);
  }

 private:
  int d_;
  Vec p_;
};

nn::NetworkConfig small_net(int width, nn::TimeInput time, std::uint64_t seed) {
  nn::NetworkConfig c;
  c.shape.width = width;
  c.shape.depth = 2;
  c.shape.activation = nn::Activation::tanh;
  c.shape.time = time;
  c.init_seed = seed;
  return c;
}

ode::FlowSpec steps(int S) {
  ode::FlowSpec f;
  f.steps = S;
  return f;
}

Particles gaussian_points(int n, int d, std::uint64_t seed, double scale, std::uint64_t first = 0) {
  Particles x("points", n, d);
  GaussianBase base;
  base.scale = scale;
  base.sample(seed, Stream::init_particles, 0, first, x);
  return x;
}

HostMat host(const Particles& x) { return Kokkos::create_mirror_view_and_copy(HostSpace(), x); }
Vector<Real, HostSpace> host(const Scalars& v) { return Kokkos::create_mirror_view_and_copy(HostSpace(), v); }

// exp(A) of a small dense matrix by its Taylor series (‖A‖ ~ 1: 40 terms are exact to 1e-16).
std::vector<double> expm(const std::vector<double>& A, int d) {
  std::vector<double> E(d * d, 0.0), T(d * d, 0.0);
  for (int i = 0; i < d; ++i) E[i * d + i] = T[i * d + i] = 1.0;
  for (int n = 1; n < 40; ++n) {
    std::vector<double> U(d * d, 0.0);
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j)
        for (int k = 0; k < d; ++k) U[i * d + j] += T[i * d + k] * A[k * d + j] / n;
    T = U;
    for (int i = 0; i < d * d; ++i) E[i] += T[i];
  }
  return E;
}

// A smooth non-quadratic test energy E(x) = Σ_j (x_j²/2 + 0.1 x_j⁴) + 0.3 x_0 x_1 and its gradient.
// Entries of (x, v) and (y, w) that differ in any bit.
long bitwise_differences(const Particles& x, const Scalars& v, const Particles& y, const Scalars& w) {
  auto a = host(x), b = host(y);
  auto va = host(v), vb = host(w);
  long differ = 0;
  for (std::size_t i = 0; i < a.extent(0); ++i) {
    differ += va(i) != vb(i);
    for (std::size_t j = 0; j < a.extent(1); ++j) differ += a(i, j) != b(i, j);
  }
  return differ;
}

void test_energy(const Particles& x, const Scalars& E, const Particles& g) {
  const int d = x.extent(1);
  Kokkos::parallel_for(
      "test_energy", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        double e = 0.3 * x(i, 0) * x(i, 1);
        for (int j = 0; j < d; ++j) {
          const double y = x(i, j);
          e += 0.5 * y * y + 0.1 * y * y * y * y;
          g(i, j) = y + 0.4 * y * y * y;
        }
        g(i, 0) += 0.3 * x(i, 1);
        g(i, 1) += 0.3 * x(i, 0);
        E(i) = e;
      });
}

}  // namespace

TEST_CASE("cnf push of a linear field matches the Gaussian change of variables", "[samplers][cnf]") {
  const int d = 2, n = 40;
  const std::vector<double> A = {0.3, -0.8, 0.5, -0.1}, c = {0.0, 0.0};
  const auto M = expm(A, d);  // exact flow map x1 = M x0
  const double detM = M[0] * M[3] - M[1] * M[2];
  // Pushforward of N(0, I): N(0, M Mᵀ); log density at x1 = −½‖M⁻¹x1‖² − log|det M| − log 2π.
  const std::vector<double> Minv = {M[3] / detM, -M[1] / detM, -M[2] / detM, M[0] / detM};
  double err_prev = 0;
  for (int S : {4, 8}) {
    CnfBlock block{std::make_shared<LinearVelocity>(d, A, c), steps(S)};
    const auto x0 = gaussian_points(n, d, 3, 1.0);
    Particles x("x", n, d);
    Kokkos::deep_copy(x, x0);
    Scalars lq("lq", n);
    GaussianBase{}.log_density(x, lq);
    push(block, x, lq, MemoryBudget{});
    auto hx0 = host(x0), hx = host(x);
    auto hl = host(lq);
    double err_x = 0, err_l = 0;
    for (int b = 0; b < n; ++b) {
      double r2 = 0;
      for (int i = 0; i < d; ++i) {
        double ex = 0, z = 0;
        for (int j = 0; j < d; ++j) {
          ex += M[i * d + j] * hx0(b, j);
          z += Minv[i * d + j] * hx(b, j);
        }
        err_x = std::max(err_x, std::abs(hx(b, i) - ex));
        r2 += z * z;
      }
      const double exact = -0.5 * r2 - std::log(std::abs(detM)) - constants::log_2pi;
      err_l = std::max(err_l, std::abs(hl(b) - exact));
    }
    INFO("S = " << S << ": max |x - e^A x0| = " << err_x << ", max |log q - exact| = " << err_l);
    CHECK(err_x < 2e-4);
    CHECK(err_l < 2e-4);
    if (S == 8) CHECK(err_l < err_prev / 10);  // fourth order: 16x per halving of h
    err_prev = err_l;
  }
}

TEST_CASE("cnf push log-density equals the log-Jacobian of the discrete map to O(h^4)", "[samplers][cnf]") {
  const int d = 2;
  const auto net = small_net(12, nn::TimeInput::linear, 5);
  std::vector<double> errs;
  for (int S : {2, 4, 8}) {
    auto block = make_mlp_block(net, d, steps(S));
    // Points x0 and x0 ± ε e_j; the Jacobian of the discrete map by central differences.
    const double eps = 1e-5;
    const int n0 = 6;
    const auto base = host(gaussian_points(n0, d, 9, 1.0));
    Particles x("x", n0 * (1 + 2 * d), d);
    auto hx = Kokkos::create_mirror_view(x);
    for (int b = 0; b < n0; ++b)
      for (int r = 0; r < 1 + 2 * d; ++r)
        for (int j = 0; j < d; ++j)
          hx(b * (1 + 2 * d) + r, j) = base(b, j) + (r > 0 && (r - 1) / 2 == j ? ((r - 1) % 2 ? -eps : eps) : 0.0);
    Kokkos::deep_copy(x, hx);
    Scalars lq("lq", x.extent(0));  // starts at 0: log q after the push = −ℓ
    push(block, x, lq, MemoryBudget{});
    auto y = host(x);
    auto l = host(lq);
    double err = 0;
    for (int b = 0; b < n0; ++b) {
      const int r0 = b * (1 + 2 * d);
      double J[2][2];
      for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) J[i][j] = (y(r0 + 1 + 2 * j, i) - y(r0 + 2 + 2 * j, i)) / (2 * eps);
      const double logdet = std::log(std::abs(J[0][0] * J[1][1] - J[0][1] * J[1][0]));
      err = std::max(err, std::abs(-l(r0) - logdet));
    }
    errs.push_back(err);
  }
  INFO("|ℓ − log|det J|| at S = 2, 4, 8: " << errs[0] << " " << errs[1] << " " << errs[2]);
  CHECK(errs[2] < 1e-5);
  CHECK(errs[1] < errs[0] / 6);  // O(h⁴) (FD noise ~1e-10 stays below)
  CHECK(errs[2] < errs[1] / 6);
}

TEST_CASE("cnf push streams every step of every row to the trajectory file, chunk by chunk", "[samplers][cnf]") {
  const Comm self(MPI_COMM_SELF);
  const int d = 2, n = 10, S = 8;
  const std::vector<double> A = {0.3, -0.8, 0.5, -0.1}, c = {0.0, 0.0};
  const CnfBlock block{std::make_shared<LinearVelocity>(d, A, c), steps(S)};
  const auto x0 = gaussian_points(n, d, 5, 1.0);
  std::vector<double> times;
  for (int f = 0; f <= S; ++f) times.push_back(double(f) / S);
  const std::string traj = "cnf_push_traj_" + std::to_string(Comm().rank()) + ".h5";
  for (const int rows : {n, 3}) {  // all rows, or the first 3
    Particles x("x", n, d), y("y", n, d);
    Kokkos::deep_copy(x, x0);
    Kokkos::deep_copy(y, x0);
    {
      io::TrajectoryWriter out(self, traj, rows, d, times);
      TrajectoryRecorder rec(out);
      push(block, x, Scalars(), MemoryBudget{1}, &rec);  // micro-batches of one row
      CHECK(rec.frame() == S + 1);
      out.commit();
    }
    push(block, y, Scalars(), MemoryBudget{});  // one micro-batch, nothing recorded: the same arithmetic
    auto hx = host(x), hy = host(y), hx0 = host(x0);
    long differ = 0;
    for (int b = 0; b < n; ++b)
      for (int i = 0; i < d; ++i) differ += hx(b, i) != hy(b, i);
    CHECK(differ == 0);
    // Frame s of particle b against the exact flow e^{A s/S} x0 (RK4 with h = 1/8), the first
    // frame the start and the last the pushed particle, bit for bit.
    const auto path = io::H5Reader(self, traj).read_all_double("/trajectories/x");
    REQUIRE(path.size() == std::size_t(rows * (S + 1) * d));
    double err = 0;
    long ends = 0;
    for (int s = 0; s <= S; ++s) {
      std::vector<double> As(A);
      for (auto& a : As) a *= double(s) / S;
      const auto M = expm(As, d);
      for (int b = 0; b < rows; ++b)
        for (int i = 0; i < d; ++i) {
          const double got = path[(std::size_t(b) * (S + 1) + s) * d + i];
          err = std::max(err, std::abs(got - (M[i * d] * hx0(b, 0) + M[i * d + 1] * hx0(b, 1))));
          if (s == 0) ends += got != hx0(b, i);
          if (s == S) ends += got != hx(b, i);
        }
    }
    INFO(rows << " rows: max |frame - e^{A t} x0| = " << err);
    CHECK(err < 1e-5);
    CHECK(ends == 0);
  }
  std::remove(traj.c_str());
}

TEST_CASE("cnf model: every block frees its jet workspace after use; results unchanged", "[samplers][cnf]") {
  // A model of K blocks used one after another must hold one block's workspace, not K.
  const int d = 4, n = 40;
  CnfModel model;
  for (int k = 0; k < 3; ++k) model.blocks.push_back(make_mlp_block(small_net(12, nn::TimeInput::linear, 3 + k), d, steps(2)));
  const auto held = [&] {
    std::size_t bytes = 0;
    for (const auto& b : model.blocks) bytes += dynamic_cast<const nn::VelocityMlp<Real>&>(*b.velocity).workspace_bytes();
    return bytes;
  };
  Particles x1("x1", n, d), x2("x2", n, d);
  Scalars q1("q1", n), q2("q2", n), back("back", n);
  model.sample(5, Stream::flow_base, 0, x1, q1);
  CHECK(held() == 0);
  model.log_density(x1, back);
  CHECK(held() == 0);
  model.sample(5, Stream::flow_base, 0, x2, q2);  // re-grown workspaces: the same arithmetic
  CHECK(bitwise_differences(x1, q1, x2, q2) == 0);
  // While in use a block does hold its jets (the check above is not vacuous).
  const auto& v = dynamic_cast<const nn::VelocityMlp<Real>&>(*model.blocks[0].velocity);
  Particles out("v", n, d);
  Scalars div("div", n);
  v.forward(x1, 0.5, nn::DivMode::exact, {}, out, div);
  CHECK(v.workspace_bytes() >= std::size_t(n) * v.workspace_bytes_per_particle(nn::DivMode::exact, 0) / 2);
  v.release_workspace();
  CHECK(v.workspace_bytes() == 0);
}

TEST_CASE("cnf pull-back inverts the push and recovers log q", "[samplers][cnf]") {
  const int d = 3, n = 30;
  std::vector<double> err_l, err_z;
  for (int S : {3, 6}) {
    CnfModel model;
    model.base.mean = {0.5, -1.0, 0.2};
    model.base.scale = 1.5;
    for (int k = 0; k < 2; ++k) model.blocks.push_back(make_mlp_block(small_net(10, nn::TimeInput::linear, 11 + k), d, steps(S)));
    Particles x("x", n, d), z("z", n, d), z0("z0", n, d);
    Scalars lq("lq", n), lq_pull("lq_pull", n);
    const Comm self(MPI_COMM_SELF);
    const std::string traj = "cnf_sample_traj_" + std::to_string(Comm().rank()) + ".h5";
    io::TrajectoryWriter out(self, traj, 4, d, std::vector<double>(model.frames(), 0.0));  // the first 4 samples
    TrajectoryRecorder rec(out);
    model.sample(21, Stream::flow_base, 100, x, lq, &rec);
    out.commit();
    model.base.sample(21, Stream::flow_base, 0, 100, z0);
    model.log_density(x, lq_pull, z);
    auto a = host(lq), b = host(lq_pull);
    auto hz = host(z), hz0 = host(z0), hx = host(x);
    double el = 0, ez = 0;
    for (int i = 0; i < n; ++i) {
      el = std::max(el, std::abs(a(i) - b(i)));
      for (int j = 0; j < d; ++j) ez = std::max(ez, std::abs(hz(i, j) - hz0(i, j)));
    }
    err_l.push_back(el);
    err_z.push_back(ez);
    // Trajectory frames: the first is the base draw, the last the sample.
    const int F = 1 + 2 * S;
    CHECK(rec.frame() == F);
    const auto path = io::H5Reader(self, traj).read_all_double("/trajectories/x");  // (4, F, d)
    for (int j = 0; j < d; ++j) {
      CHECK(path[(2 * F + 0) * d + j] == hz0(2, j));
      CHECK(path[(2 * F + 2 * S) * d + j] == hx(2, j));
    }
    std::remove(traj.c_str());
  }
  INFO("pull-back errors S=3: log q " << err_l[0] << ", z " << err_z[0] << "; S=6: " << err_l[1] << ", " << err_z[1]);
  CHECK(err_l[1] < 1e-4);
  CHECK(err_z[1] < 1e-4);
  CHECK(err_l[1] < err_l[0] / 6);
  CHECK(err_z[1] < err_z[0] / 6);
}

TEST_CASE("cnf micro-batches: loss, gradient, push and pull-back agree with the unsplit solve", "[samplers][cnf]") {
  const int d = 3, n = 37;
  const auto x0 = gaussian_points(n, d, 29, 1.1);
  for (auto div : {nn::DivMode::exact, nn::DivMode::hutchinson}) {
    auto block = make_mlp_block(small_net(8, nn::TimeInput::linear, 6), d, steps(3));
    BlockObjective obj;
    obj.energy = test_energy;
    obj.gamma = 0.4;
    obj.div = div;
    obj.probes = 2;
    Probes probes("probes", n, obj.probes, d);
    Vector<std::uint64_t> ids("ids", n);
    Kokkos::parallel_for(
        "ids", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) { ids(i) = 3 * i + 1; });
    fill_probes(probes, ids, n, ProbeKind::rademacher, 5, 1, 2);
    // The budget of ~7 rows of the solve alone: the loss's own buffers make it fewer.
    ode::FlowSpec spec = block.flow;
    spec.div = div;
    spec.kinetic = true;
    const MemoryBudget seven{7 * solve_bytes_per_row(block, spec, obj.probes, true, 0)};
    BlockLoss whole(block, obj, MemoryBudget{}), split(block, obj, seven), rows1(block, obj, MemoryBudget{1});
    INFO("divergence mode " << int(div) << ": rows per solve " << whole.micro_batch() << " / " << split.micro_batch()
                            << " / " << rows1.micro_batch());
    REQUIRE(whole.micro_batch() >= n);
    REQUIRE(split.micro_batch() > 1);
    REQUIRE(split.micro_batch() < 7);
    REQUIRE(rows1.micro_batch() == 1);
    // Room for all n rows with one field workspace but not with one per stage evaluation:
    // one solve either way, so the same numbers bit for bit, with and without re-run forwards.
    const MemoryBudget once{(n + 1) * solve_bytes_per_row(block, spec, obj.probes, true, 64)};
    BlockLoss recompute(block, obj, once);
    REQUIRE(recompute.micro_batch() >= n);
    CHECK(whole.keeps_stage_workspaces(n));
    CHECK_FALSE(recompute.keeps_stage_workspaces(n));
    {
      const int P = block.params().extent(0);
      Vector<Real> ga("ga", P), gb("gb", P);
      const auto a = whole.evaluate(x0, n, probes, ga), b = recompute.evaluate(x0, n, probes, gb);
      CHECK(a.energy == b.energy);
      CHECK(a.divergence == b.divergence);
      CHECK(a.kinetic == b.kinetic);
      const auto ha = host(ga), hb = host(gb);
      double diff = 0;
      for (int p = 0; p < P; ++p) diff = std::max(diff, std::abs(ha(p) - hb(p)));
      CHECK(diff == 0.0);
    }
    const int P = block.params().extent(0);
    std::vector<LossSums> sums;
    std::vector<std::vector<double>> grads;
    for (auto* loss : {&whole, &split, &rows1}) {
      Vector<Real> g("g", P);
      sums.push_back(loss->evaluate(x0, n, probes, g));
      auto h = host(g);
      grads.emplace_back(h.data(), h.data() + P);
    }
    for (int k = 1; k < 3; ++k) {
      CHECK(sums[k].energy == Approx(sums[0].energy).epsilon(1e-13));
      CHECK(sums[k].divergence == Approx(sums[0].divergence).epsilon(1e-13));
      CHECK(sums[k].kinetic == Approx(sums[0].kinetic).epsilon(1e-13));
      double scale = 0, diff = 0;
      for (int p = 0; p < P; ++p) {
        scale = std::max(scale, std::abs(grads[0][p]));
        diff = std::max(diff, std::abs(grads[k][p] - grads[0][p]));
      }
      CHECK(diff < 1e-13 * scale);
    }
  }
  // Push and pull-back: each row's arithmetic does not depend on the split, so bit for bit.
  auto block = make_mlp_block(small_net(8, nn::TimeInput::linear, 8), d, steps(4));
  REQUIRE(push_rows(block, MemoryBudget{}) >= n);
  REQUIRE(push_rows(block, MemoryBudget{1}) == 1);
  Particles xa("xa", n, d), xb("xb", n, d);
  Scalars la("la", n), lb("lb", n);
  Kokkos::deep_copy(xa, x0);
  Kokkos::deep_copy(xb, x0);
  push(block, xa, la, MemoryBudget{});
  push(block, xb, lb, MemoryBudget{1});
  pull_back(block, xa, la, MemoryBudget{});
  pull_back(block, xb, lb, MemoryBudget{1});
  CHECK(bitwise_differences(xa, la, xb, lb) == 0);
}

TEST_CASE("cnf block loss gradient matches finite differences of the same loss", "[samplers][cnf]") {
  const int d = 2, n = 16;
  for (auto div : {nn::DivMode::exact, nn::DivMode::hutchinson}) {
    auto block = make_mlp_block(small_net(8, nn::TimeInput::linear, 4), d, steps(3));
    BlockObjective obj;
    obj.energy = test_energy;
    obj.gamma = 0.7;
    obj.div = div;
    obj.probes = 2;
    BlockLoss loss(block, obj, MemoryBudget{});
    const auto x0 = gaussian_points(n, d, 13, 1.2);
    Probes probes("probes", n, obj.probes, d);
    Vector<std::uint64_t> ids("ids", n);
    Kokkos::parallel_for(
        "ids", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) { ids(i) = 7 * i; });
    fill_probes(probes, ids, n, ProbeKind::gaussian, 17, 2, 5);
    const auto params = block.params();
    const int P = params.extent(0);
    Vector<Real> grads("grads", P);
    const double L0 = loss.evaluate(x0, n, probes, grads).loss(obj.gamma);
    auto g = host(grads);
    auto hp = Kokkos::create_mirror_view_and_copy(HostSpace(), params);
    auto value = [&](int p, double delta) {
      const double keep = hp(p);
      hp(p) = keep + delta;
      Kokkos::deep_copy(params, hp);
      const double v = loss.evaluate(x0, n, probes, Vector<Real>()).loss(obj.gamma);
      hp(p) = keep;
      Kokkos::deep_copy(params, hp);
      return v;
    };
    double worst = 0;
    for (int p = 0; p < P; p += 3) {
      const double h = 1e-5;
      const double fd = (value(p, h) - value(p, -h)) / (2 * h);
      worst = std::max(worst, std::abs(fd - g(p)) / (1e-3 * std::abs(L0) + std::abs(g(p))));
    }
    INFO("divergence mode " << int(div) << ": worst relative gradient error " << worst << " (loss " << L0 << ")");
    CHECK(worst < 1e-6);
  }
}

TEST_CASE("cnf minibatches: epochs are permutations and the global batch ignores the rank count", "[samplers][cnf][mpi]") {
  Comm comm;
  Comm self(MPI_COMM_SELF);
  const std::int64_t N = 53;
  const auto dec = Decomposition::even(comm, N), one = Decomposition::even(self, N);
  MinibatchSampler mine(dec, 10, 3, 1), ref(one, 10, 3, 1);
  CHECK(mine.batches_per_epoch() == 5);
  for (long epoch = 0; epoch < 2; ++epoch) {
    std::vector<int> seen(N, 0);
    for (long it = epoch * 5; it < epoch * 5 + 5; ++it) {
      mine.select(it);
      ref.select(it);
      auto ids = Kokkos::create_mirror_view_and_copy(HostSpace(), ref.ids());
      for (int i = 0; i < ref.local_count(); ++i) ++seen[ids(i)];
      CHECK(ref.local_count() == 10);
      // The union of the ranks' ids is the one-rank batch.
      std::vector<double> mark(N, 0.0);
      auto mids = Kokkos::create_mirror_view_and_copy(HostSpace(), mine.ids());
      for (int i = 0; i < mine.local_count(); ++i) mark[mids(i)] += 1;
      std::vector<double> all(N, 0.0);
      for (std::int64_t g = 0; g < N; ++g) all[g] = comm.sum(mark[g]);
      for (int i = 0; i < ref.local_count(); ++i) all[ids(i)] -= 1;
      int mismatch = 0;
      for (double v : all) mismatch += v != 0.0;
      CHECK(mismatch == 0);
    }
    int twice = 0, once = 0;
    for (int s : seen) {
      twice += s > 1;
      once += s == 1;
    }
    CHECK(twice == 0);
    CHECK(once == 50);
  }
}

TEST_CASE("cnf block training gives the same parameters on 1 and 2 ranks", "[samplers][cnf][mpi]") {
  Comm comm;
  Comm self(MPI_COMM_SELF);
  const int d = 2;
  const std::int64_t N = 203;
  for (auto div : {nn::DivMode::exact, nn::DivMode::hutchinson}) {
    auto train = [&](const Comm& c) {
      const auto dec = Decomposition::even(c, N);
      const auto pool = gaussian_points(dec.local, d, 29, 1.5, dec.offset);
      auto block = make_mlp_block(small_net(8, nn::TimeInput::none, 2), d, steps(3));
      BlockObjective obj;
      obj.energy = test_energy;
      obj.gamma = 0.2;
      obj.div = div;
      BlockTrainConfig cfg;
      cfg.iterations = 12;  // 4 batches per epoch: crosses epochs
      cfg.batch = 50;
      cfg.adam.lr = 1e-2;
      cfg.adam.clip_norm = 1.0;
      Progress quiet(c, true);
      const auto log = train_block(c, block, dec, pool, Scalars(), obj, cfg, 5, 3, quiet);
      return std::make_pair(Kokkos::create_mirror_view_and_copy(HostSpace(), block.params()), log);
    };
    const auto [p2, log2] = train(comm);
    const auto [p1, log1] = train(self);
    const auto [p1b, log1b] = train(self);
    double diff = 0, moved = 0;
    int bitwise = 0;
    for (std::size_t i = 0; i < p1.extent(0); ++i) {
      diff = std::max(diff, std::abs(p1(i) - p2(i)));
      bitwise += p1(i) != p1b(i);
    }
    auto fresh = Kokkos::create_mirror_view_and_copy(HostSpace(), make_mlp_block(small_net(8, nn::TimeInput::none, 2), d, steps(3)).params());
    for (std::size_t i = 0; i < p1.extent(0); ++i) moved = std::max(moved, std::abs(p1(i) - fresh(i)));
    INFO("max |θ(1 rank) − θ(" << comm.size() << " ranks)| = " << diff << ", training moved θ by " << moved);
    CHECK(diff < 1e-10);
    CHECK(bitwise == 0);
    CHECK(moved > 1e-3);
    REQUIRE(log1.loss.size() == 12);
    for (int i = 0; i < 12; ++i) CHECK(std::abs(log1.loss[i] - log2.loss[i]) < 1e-10 * (1 + std::abs(log1.loss[i])));
    CHECK(log1.loss.back() < log1.loss.front());
  }
}

TEST_CASE("cnf training: a NaN loss is a NumericalError naming block and iteration", "[samplers][cnf]") {
  Comm comm;
  const auto dec = Decomposition::even(comm, 20);
  const auto pool = gaussian_points(dec.local, 2, 1, 1.0, dec.offset);
  auto block = make_mlp_block(small_net(4, nn::TimeInput::none, 2), 2, steps(3));
  BlockObjective obj;
  obj.energy = [](const Particles& x, const Scalars& E, const Particles& g) {
    test_energy(x, E, g);
    Kokkos::deep_copy(Kokkos::subview(E, 0), std::nan(""));
  };
  BlockTrainConfig cfg;
  cfg.iterations = 3;
  cfg.batch = 10;
  cfg.name = "test";
  Progress quiet(comm, true);
  CHECK_THROWS_WITH(train_block(comm, block, dec, pool, Scalars(), obj, cfg, 1, 4, quiet),
                    Catch::Contains("test block 4, iteration 0"));
}
