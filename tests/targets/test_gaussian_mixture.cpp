// Gaussian mixtures (targets.md §2): derivatives vs finite differences, log Z vs quadrature,
// exact samples vs closed-form moments, mode assignment, the presets' parameters, mixture files
// (CSV and HDF5) and deck errors.
#include <hdf5.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "TargetTestSupport.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/targets/GaussianMixture.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

namespace {
const std::string two_d = "name = gmm\nweights = 0.3, 0.7\nmeans = -1, 0, 2, 1\nsigmas = 0.8, 1.3\n";
const std::string diag_3d = "name = gmm\nweights = 0.2, 0.5, 0.3\nmeans = 0, 0, 0, 1, -1, 2, -2, 1, 0\n"
                            "sigmas = 0.5, 1, 1.5, 1, 1, 1, 0.7, 0.9, 1.2\n";
const std::string full_3d = "name = gmm\nweights = 0.4, 0.6\nmeans = 0, 0, 0, 1, 1, 1\n"
                            "covariances = 2, 0.3, 0.1, 0.3, 1, 0.2, 0.1, 0.2, 0.5, 1, 0, 0, 0, 2, -0.5, 0, -0.5, 1\n";

// The GMM-40 means exactly as printed in targets.md §2.1.
const double gmm40_spec_means[40][2] = {
      {-0.2995, 21.4577},
      {-32.9218, -29.4376},
      {-15.4062, 10.7263},
      {-0.7925, 31.7156},
      {-3.5498, 10.5845},
      {-12.0885, -7.8626},
      {-38.2139, -26.4913},
      {-16.4889, 1.4817},
      {15.8134, 24.0009},
      {-27.1176, -17.4185},
      {14.5287, 33.2155},
      {-8.2320, 29.9325},
      {-6.4473, 4.2326},
      {36.2190, -37.1068},
      {-25.1815, -10.1266},
      {-15.5920, 34.5600},
      {-25.9272, -18.4133},
      {-27.9456, -37.4624},
      {-23.3496, 34.3839},
      {17.8487, 19.3869},
      {2.1037, -20.5073},
      {6.7674, -37.3478},
      {-28.9026, -20.6212},
      {25.2375, 23.4529},
      {-17.7398, -1.4433},
      {25.5824, 39.7653},
      {15.8753, 5.4037},
      {26.8195, -23.5521},
      {7.4538, -31.0122},
      {-27.7234, -20.6633},
      {18.0989, 16.0864},
      {-23.6941, 12.0843},
      {21.9589, -5.0487},
      {1.5273, 9.2682},
      {24.8151, 38.4078},
      {-30.8249, -14.6588},
      {15.7204, 33.1420},
      {34.8083, 35.2943},
      {7.9606, -34.7833},
      {3.6797, -25.0242}};

std::vector<double> means_of(const Target& t) { return t.parameters().at("means").values; }
std::vector<double> sigmas_of(const Target& t) { return t.parameters().at("sigmas").values; }

// A file name unique to this process (ranks of a 2-rank ctest run share the directory).
std::string temp_path(const std::string& stem) {
  return "/tmp/boltzflow_test_" + stem + "_" + std::to_string(::getpid());
}

void write_h5_dataset(hid_t file, const char* name, const std::vector<hsize_t>& dims, const std::vector<double>& v) {
  const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  const hid_t set = H5Dcreate2(file, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(set >= 0);
  REQUIRE(H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
  H5Dclose(set);
  H5Sclose(space);
}
}  // namespace

TEST_CASE("mixture gradients and Laplacians match finite differences", "[targets][gmm]") {
  struct Case {
    std::string deck;
    double scale, shift, h = 1e-3;
  };
  for (const Case& c : std::vector<Case>{{two_d, 1.5, 0},
                                         {diag_3d, 1.2, 0},
                                         {full_3d, 1, 0.3},
                                         {"name = gmm40\n", 20, 0},
                                         {"name = af_ring\n", 6, 0},
                                         {"name = shifted8\n", 0.7, -0.5, 1e-4},
                                         {"name = peaky8\n", 0.5, -0.5, 1e-4},
                                         {"name = grid\n", 4, 0},
                                         {"name = gmm_d\ndim = 5\nsigma = 0.5\n", 0.5, 0},
                                         {"name = gmm40_50d\ndim = 4\n", 20, 0},
                                         {"name = asym_gmm\ndim = 3\n", 4, 0}}) {
    INFO(c.deck);
    const auto t = build(c.deck);
    check_derivatives(*t, random_points(5, t->dim(), c.scale, c.shift, 3), c.h);
  }
}

TEST_CASE("mixture log Z = 0 agrees with quadrature", "[targets][gmm]") {
  for (const std::string deck : {two_d, std::string("name = af_ring\n"), std::string("name = shifted8\n"),
                                 std::string("name = grid\n"), std::string("name = asym_gmm\n"),
                                 std::string("name = gmm\nweights = 0.5, 0.5\nmeans = 0, 0, 3, 1\n"
                                             "covariances = 1, 0.8, 0.8, 1, 2, -0.3, -0.3, 0.5\n")}) {
    INFO(deck);
    const auto t = build(deck);
    REQUIRE(t->has_log_z());
    CHECK(log_z_box(*t, -20, 20, -20, 20, 600, 600) == Approx(t->log_z()).margin(1e-4));
  }
  // GMM-40: its means reach ±40; the box adds 6σ around them.
  const auto t = build("name = gmm40\n");
  CHECK(log_z_box(*t, -48, 48, -48, 48, 600, 600) == Approx(0.0).margin(1e-4));
}

TEST_CASE("mixture exact samples have the closed-form mean and covariance", "[targets][gmm]") {
  // Mixture moments: m = Σ π_k μ_k, C = Σ π_k (Σ_k + μ_k μ_kᵀ) − m mᵀ.
  const int n = 60000;
  for (const std::string& deck : {diag_3d, full_3d}) {
    INFO(deck);
    const auto t = build(deck);
    const auto& gm = static_cast<const GaussianMixture&>(*t);
    const auto p = t->parameters();
    const int d = t->dim(), K = gm.num_components();
    const auto& w = p.at("weights").values;
    const auto& mu = p.at("means").values;
    std::vector<double> cov_k(std::size_t(K) * d * d, 0.0);
    if (gm.full_covariance()) {
      cov_k = p.at("covariances").values;
    } else {
      const auto& s = p.at("sigmas").values;
      for (int k = 0; k < K; ++k)
        for (int j = 0; j < d; ++j) cov_k[(k * d + j) * d + j] = s[k * d + j] * s[k * d + j];
    }
    std::vector<double> m(d, 0.0), C(std::size_t(d) * d, 0.0);
    for (int k = 0; k < K; ++k)
      for (int j = 0; j < d; ++j) m[j] += w[k] * mu[k * d + j];
    for (int k = 0; k < K; ++k)
      for (int j = 0; j < d; ++j)
        for (int l = 0; l < d; ++l) C[j * d + l] += w[k] * (cov_k[(k * d + j) * d + l] + mu[k * d + j] * mu[k * d + l]);
    for (int j = 0; j < d; ++j)
      for (int l = 0; l < d; ++l) C[j * d + l] -= m[j] * m[l];
    const auto s = moments(exact_samples(*t, n, 11));
    for (int j = 0; j < d; ++j) {
      CHECK(std::abs(s.mean[j] - m[j]) < 5 * std::sqrt(C[j * d + j] / n));
      for (int l = 0; l < d; ++l) {
        // Var of a product moment ≤ sqrt(E x⁴ E y⁴); 5σ with a generous kurtosis bound of 9.
        const double se = std::sqrt(9 * C[j * d + j] * C[l * d + l] / n);
        CHECK(std::abs(s.cov[j * d + l] - C[j * d + l]) < 5 * se);
      }
    }
  }
}

TEST_CASE("mixture samples are keyed by global particle id", "[targets][gmm]") {
  const auto t = build(two_d);
  const auto all = exact_samples(*t, 100, 5);
  const auto tail = exact_samples(*t, 40, 5, 60);
  for (int i = 0; i < 40; ++i)
    for (int j = 0; j < 2; ++j) CHECK(tail(i, j) == all(60 + i, j));
  const auto other = exact_samples(*t, 100, 6);
  CHECK(other(0, 0) != all(0, 0));
}

TEST_CASE("mixture mode assignment: nearest component in the weighted sense", "[targets][gmm]") {
  SECTION("points at the means get their own label") {
    for (const std::string deck : {std::string("name = gmm40\n"), std::string("name = af_ring\n"),
                                   std::string("name = grid\n"), full_3d}) {
      INFO(deck);
      const auto t = build(deck);
      const auto mu = means_of(*t);
      const int d = t->dim(), K = t->num_modes();
      HostMatrix x("at_means", K, d);
      for (int k = 0; k < K; ++k)
        for (int j = 0; j < d; ++j) x(k, j) = mu[k * d + j];
      const auto lab = mode_labels(*t, x);
      for (int k = 0; k < K; ++k) CHECK(lab[k] == k);
    }
  }
  SECTION("argmax of log π_k N(x; μ_k, σ_k²): the boundary moves towards the lighter, narrower mode") {
    // 1-D mixture 0.3 N(−1, 0.8²) + 0.7 N(2, 1.3²) (2-D means (−1, 0), (2, 1); check on the line y
    // where the densities cross, from a host bisection of the two log densities).
    const auto t = build(two_d);
    const auto a = [](double x, double y, double w, double mx, double my, double s) {
      return std::log(w) - 2 * std::log(s) - ((x - mx) * (x - mx) + (y - my) * (y - my)) / (2 * s * s);
    };
    HostMatrix x("line", 2001, 2);
    for (int i = 0; i < 2001; ++i) {
      x(i, 0) = -3 + 6.0 * i / 2000;
      x(i, 1) = 0.5;
    }
    const auto lab = mode_labels(*t, x);
    for (int i = 0; i < 2001; ++i) {
      const int expect = a(x(i, 0), 0.5, 0.7, 2, 1, 1.3) > a(x(i, 0), 0.5, 0.3, -1, 0, 0.8) ? 1 : 0;
      CHECK(lab[i] == expect);
    }
    CHECK(lab.front() == 0);
    CHECK(lab.back() == 1);
  }
  SECTION("exact-sample frequencies match the weights") {
    check_mode_frequencies(*build("name = asym_gmm\n"), 40000, 9);
    // (Well separated: with overlapping components argmax labels and generating components differ.)
    check_mode_frequencies(*build("name = gmm\nweights = 0.2, 0.5, 0.3\nmeans = 0, 0, 0, 10, -10, 20, -20, 10, 0\n"
                                  "sigmas = 0.5, 1, 1.5, 1, 1, 1, 0.7, 0.9, 1.2\n"),
                           40000, 10);
    check_mode_frequencies(*build("name = gmm40\n"), 40000, 12);
  }
}

TEST_CASE("GMM-40 preset: the spec's means, softplus(1) scale and FAB's quadratic expectation", "[targets][gmm]") {
  const auto t = build("name = gmm40\n");
  REQUIRE(t->dim() == 2);
  REQUIRE(t->num_modes() == 40);
  const auto mu = means_of(*t);
  for (int k = 0; k < 40; ++k) {
    CHECK(mu[2 * k] == gmm40_spec_means[k][0]);
    CHECK(mu[2 * k + 1] == gmm40_spec_means[k][1]);
  }
  for (double w : t->mode_weights()) CHECK(w == Approx(1.0 / 40).epsilon(1e-15));
  const double softplus1 = std::log1p(std::exp(1.0));
  for (double s : sigmas_of(*t)) CHECK(s == Approx(softplus1).epsilon(1e-14));
  const auto t2 = build("name = gmm40\nsigma = 0.7443967\n");
  for (double s : sigmas_of(*t2)) CHECK(s == 0.7443967);

  // E[(x+s)ᵀA(x+s) + bᵀ(x+s)] = (1/40) Σ_k [(μ_k+s)ᵀA(μ_k+s) + σ² tr A + bᵀ(μ_k+s)] (targets.md §2.1).
  const double s[2] = {3.0820, -0.5869}, A[2][2] = {{0.6148, 1.2682}, {0.9802, 1.7929}}, b[2] = {0.4556, 0.6323};
  const auto f = [&](double u, double v) {
    const double z[2] = {u + s[0], v + s[1]};
    return z[0] * (A[0][0] * z[0] + A[0][1] * z[1]) + z[1] * (A[1][0] * z[0] + A[1][1] * z[1]) + b[0] * z[0] + b[1] * z[1];
  };
  double exact = 0;
  for (int k = 0; k < 40; ++k)
    exact += (f(gmm40_spec_means[k][0], gmm40_spec_means[k][1]) + softplus1 * softplus1 * (A[0][0] + A[1][1])) / 40;
  CHECK(exact == Approx(1777.88).margin(0.01));  // the spec's computed value for σ = 1.313
  const int n = 40000;
  const auto x = exact_samples(*t, n, 1);
  double m = 0, m2 = 0;
  for (int i = 0; i < n; ++i) {
    const double v = f(x(i, 0), x(i, 1));
    m += v / n;
    m2 += v * v / n;
  }
  CHECK(std::abs(m - exact) < 5 * std::sqrt((m2 - m * m) / n));
}

TEST_CASE("ring, shifted-8, grid and asymmetric presets place their means as specified", "[targets][gmm]") {
  SECTION("AF ring: c (cos 2πj/K, sin 2πj/K), unit variance") {
    const auto t = build("name = af_ring\nring_k = 6\nring_c = 8\n");
    const auto mu = means_of(*t);
    REQUIRE(mu.size() == 12);
    for (int j = 0; j < 6; ++j) {
      CHECK(mu[2 * j] == Approx(8 * std::cos(2 * constants::pi * j / 6)).margin(1e-14));
      CHECK(mu[2 * j + 1] == Approx(8 * std::sin(2 * constants::pi * j / 6)).margin(1e-14));
    }
    for (double sd : sigmas_of(*t)) CHECK(sd == 1.0);
    CHECK(build("name = af_ring\n")->num_modes() == 8);
  }
  SECTION("shifted 8 / peaky: unit circle centred at (−1, 0), s² = 0.01 / 0.005") {
    for (const auto& [name, var] : std::vector<std::pair<std::string, double>>{{"shifted8", 0.01}, {"peaky8", 0.005}}) {
      const auto t = build("name = " + name + "\n");
      const auto mu = means_of(*t);
      REQUIRE(mu.size() == 16);
      for (int k = 0; k < 8; ++k) {
        CHECK(mu[2 * k] == Approx(std::cos(2 * constants::pi * k / 8) - 1).margin(1e-14));
        CHECK(mu[2 * k + 1] == Approx(std::sin(2 * constants::pi * k / 8)).margin(1e-14));
      }
      for (double sd : sigmas_of(*t)) CHECK(sd * sd == Approx(var).epsilon(1e-13));
    }
  }
  SECTION("grid: side × side means, spacing apart, centred at the origin") {
    const auto t = build("name = grid\n");
    const auto mu = means_of(*t);
    REQUIRE(mu.size() == 18);
    std::vector<std::pair<double, double>> got, want;
    for (int k = 0; k < 9; ++k) got.emplace_back(mu[2 * k], mu[2 * k + 1]);
    for (double a : {-5.0, 0.0, 5.0})
      for (double b : {-5.0, 0.0, 5.0}) want.emplace_back(a, b);
    std::sort(got.begin(), got.end());
    CHECK(got == want);
    for (double sd : sigmas_of(*t)) CHECK(sd == Approx(std::sqrt(0.3)).epsilon(1e-14));
    CHECK(build("name = grid\ncomponents = 4\nspacing = 2\n")->num_modes() == 16);
    const auto g4 = means_of(*build("name = grid\ncomponents = 4\nspacing = 2\n"));
    CHECK(*std::min_element(g4.begin(), g4.end()) == -3.0);
    CHECK(*std::max_element(g4.begin(), g4.end()) == 3.0);
  }
  SECTION("asymmetric pair: 1/3 at (4, 4, 0, ...), 2/3 at (−8, −8, 0, ...)") {
    const auto t = build("name = asym_gmm\ndim = 4\n");
    CHECK(means_of(*t) == std::vector<double>{4, 4, 0, 0, -8, -8, 0, 0});
    const auto w = t->mode_weights();
    CHECK(w[0] == Approx(1.0 / 3));
    CHECK(w[1] == Approx(2.0 / 3));
  }
}

TEST_CASE("random-mean presets: in their box, reproducible from (seed, instance), distinct otherwise", "[targets][gmm]") {
  struct Case {
    std::string name;
    int d, K;
    double half_width;
  };
  for (const Case& c : {Case{"gmm_d", 20, 10, 1.0}, Case{"gmm40_50d", 50, 40, 40.0}}) {
    INFO(c.name);
    const std::string deck = "name = " + c.name + "\ndim = " + std::to_string(c.d) + "\n";
    const auto a = means_of(*build(deck + "seed = 4\ninstance = 1\n"));
    REQUIRE(a.size() == std::size_t(c.K) * c.d);
    double lo = 1e300, hi = -1e300, mean = 0;
    for (double v : a) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      mean += v / a.size();
    }
    CHECK(lo >= -c.half_width);
    CHECK(hi <= c.half_width);
    // Uniform on [−w, w]: the extremes of ≥ 200 draws come within 5% of the ends; the mean is 0
    // within 5 standard errors (variance w²/3).
    CHECK(hi > 0.95 * c.half_width);
    CHECK(lo < -0.95 * c.half_width);
    CHECK(std::abs(mean) < 5 * c.half_width / std::sqrt(3.0 * a.size()));
    CHECK(means_of(*build(deck + "seed = 4\ninstance = 1\n")) == a);
    CHECK(means_of(*build(deck + "seed = 4\ninstance = 2\n")) != a);
    CHECK(means_of(*build(deck + "seed = 5\ninstance = 1\n")) != a);
  }
  CHECK(build("name = gmm_d\n")->dim() == 10);
  CHECK(build("name = gmm_d\n")->num_modes() == 10);
  CHECK(build("name = gmm_d\ncomponents = 7\n")->num_modes() == 7);
  CHECK(build("name = gmm40_50d\n")->dim() == 50);
  for (double s : sigmas_of(*build("name = gmm_d\n"))) CHECK(s == Approx(0.1).epsilon(1e-14));
}

TEST_CASE("mixtures load from CSV and HDF5 files and equal the deck lists", "[targets][gmm]") {
  const auto reference = build(diag_3d);
  const auto x = random_points(20, 3, 1.5, 0, 21);
  const auto U_ref = energies(*reference, x);
  const auto p = reference->parameters();

  SECTION("HDF5 with sigmas (the layout parameters() writes)") {
    const std::string path = temp_path("mix_sig.h5");
    const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(f >= 0);
    write_h5_dataset(f, "weights", {3}, p.at("weights").values);
    write_h5_dataset(f, "means", {3, 3}, p.at("means").values);
    write_h5_dataset(f, "sigmas", {3, 3}, p.at("sigmas").values);
    H5Fclose(f);
    const auto t = build("name = gmm\nfile = " + path + "\n");
    const auto U = energies(*t, x);
    for (int i = 0; i < 20; ++i) CHECK(U[i] == Approx(U_ref[i]).epsilon(1e-14));
    CHECK_THROWS_WITH(build("name = gmm\ndim = 2\nfile = " + path + "\n"), Catch::Contains("target.dim"));
    CHECK_THROWS_WITH(build("name = gmm\nfile = " + path + "\nweights = 1\n"), Catch::Contains("target.file"));
    std::remove(path.c_str());
  }
  SECTION("HDF5 with full covariances (K, d, d)") {
    const auto full = build(full_3d);
    const auto q = full->parameters();
    const std::string path = temp_path("mix_cov.h5");
    const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    write_h5_dataset(f, "weights", {2, 1}, q.at("weights").values);
    write_h5_dataset(f, "means", {2, 3}, q.at("means").values);
    write_h5_dataset(f, "covariances", {2, 3, 3}, q.at("covariances").values);
    H5Fclose(f);
    const auto t = build("name = gmm\nfile = " + path + "\n");
    const auto U = energies(*t, x), Uf = energies(*full, x);
    for (int i = 0; i < 20; ++i) CHECK(U[i] == Approx(Uf[i]).epsilon(1e-14));
    std::remove(path.c_str());
  }
  SECTION("HDF5 missing a dataset names the file and the dataset") {
    const std::string path = temp_path("mix_bad.h5");
    const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    write_h5_dataset(f, "weights", {3}, p.at("weights").values);
    write_h5_dataset(f, "means", {3, 3}, p.at("means").values);
    H5Fclose(f);
    const auto msg = input_error("name = gmm\nfile = " + path + "\n");
    CHECK_THAT(msg, Catch::Contains("target.file") && Catch::Contains(path) && Catch::Contains("sigmas"));
    std::remove(path.c_str());
  }
  SECTION("CSV 'weight, sigma, mu_0, ..., mu_{d-1}' (isotropic per component)") {
    const std::string path = temp_path("mix.csv");
    {
      std::ofstream out(path);
      out << "weight,sigma,mu_0,mu_1\n0.3,0.8,-1,0\n0.7,1.3,2,1\n";
    }
    const auto t = build("name = gmm\nfile = " + path + "\n");
    const auto ref2 = build(two_d);
    const auto x2 = random_points(20, 2, 1.5, 0, 22);
    const auto U = energies(*t, x2), U2 = energies(*ref2, x2);
    for (int i = 0; i < 20; ++i) CHECK(U[i] == Approx(U2[i]).epsilon(1e-14));
    {
      std::ofstream out(path);
      out << "weight,sigma,mu_0,mu_1\n0.3,0.8,-1,0\n0.7,oops,2,1\n";
    }
    CHECK_THAT(input_error("name = gmm\nfile = " + path + "\n"), Catch::Contains("target.file") && Catch::Contains(path));
    {
      std::ofstream out(path);
      out << "weight,sigma,mu_0,mu_1\n0.3,0.8,-1,0\n0.6,1.3,2,1\n";
    }
    CHECK_THAT(input_error("name = gmm\nfile = " + path + "\n"), Catch::Contains("target.file") && Catch::Contains(path));
    std::remove(path.c_str());
  }
  SECTION("a missing file is named") {
    CHECK_THAT(input_error("name = gmm\nfile = /nonexistent/mix.h5\n"),
               Catch::Contains("target.file") && Catch::Contains("/nonexistent/mix.h5"));
  }
}

TEST_CASE("bad mixture values are InputErrors naming the key", "[targets][gmm]") {
  const auto names = [](const std::string& deck, const std::string& key) {
    INFO(deck);
    CHECK_THAT(input_error(deck), Catch::Contains(key));
  };
  names("name = gmm\nweights = 0.5, 0.6\nmeans = 0, 0, 1, 1\nsigmas = 1\n", "target.weights");
  names("name = gmm\nweights = -0.5, 1.5\nmeans = 0, 0, 1, 1\nsigmas = 1\n", "target.weights");
  names("name = gmm\nweights = 0.5, 0.5\nmeans = 0, 0, 1\nsigmas = 1\n", "target.means");
  names("name = gmm\nweights = 1\nmeans = 0, 0\nsigmas = -1\n", "target.sigmas");
  names("name = gmm\nweights = 0.5, 0.5\nmeans = 0, 0, 1, 1\nsigmas = 1, 1, 1\n", "target.sigmas");
  names("name = gmm\nweights = 1\nmeans = 0, x\nsigmas = 1\n", "target.means");
  names("name = gmm\nweights = 1\nmeans = 0, 0\n", "target.sigmas");
  names("name = gmm\nmeans = 0, 0\nsigmas = 1\n", "target.weights");
  names("name = gmm\nweights = 1\nmeans = 0, 0\ncovariances = 1, 2, 2, 1\n", "target.covariances");  // not SPD
  names("name = gmm\nweights = 1\nmeans = 0, 0\ncovariances = 1, 0, 0\n", "target.covariances");
  names("name = gmm\nweights = 1\nmeans = 0, 0\nsigmas = 1\ncovariances = 1, 0, 0, 1\n", "target.covariances");
  names("name = af_ring\ndim = 3\n", "target.dim");
  names("name = gmm40\ndim = 4\n", "target.dim");
  names("name = gmm40\nsigma = -1\n", "target.sigma");
  names("name = gmm40\nweights = 1\n", "target.weights");  // a key gmm40 does not use
  names("name = af_ring\nring_k = 0\n", "target.ring_k");
  names("name = grid\nspacing = 0\n", "target.spacing");
  names("name = gmm_d\ncomponents = x\n", "target.components");
  names("name = asym_gmm\ndim = 1\n", "target.dim");
}
