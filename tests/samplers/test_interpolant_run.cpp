// run.method = interpolant (samplers/interpolant/InterpolantSampler): a CNF trained on exact
// samples of a bimodal 2-D mixture stored in an HDF5 file reaches a test log-likelihood close
// to the true density's, and its fresh samples carry log q consistent with their weights.
#include <cmath>

#include "boltzflow/core/Progress.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/metrics/Weights.hpp"
#include "boltzflow/samplers/interpolant/InterpolantSampler.hpp"
#include "boltzflow/targets/GaussianMixture.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

TEST_CASE("interpolant: density estimation from an HDF5 data set", "[samplers][interpolant]") {
  Comm comm;
  const auto t = GaussianMixture::isotropic("bimodal", 2, {0.5, 0.5}, {-1.5, 0, 1.5, 0}, {0.6});
  const std::string path = "interpolant_test_data.h5";
  {
    const auto dec = Decomposition::even(comm, 4000);
    Particles x("data", dec.local, 2);
    t.sample(31, dec.offset, x);
    io::H5Writer w(comm, path);
    w.write_rows_from("/samples/x", x);
    w.commit();
  }
  const std::string deck = "[interpolant]\ndata = " + path +
                           "\nsteps = 600\nbatch = 256\ntime_bins = 8\nsamples = 4000\node_steps = 8\nlr = 0.005\n"
                           "[network]\nwidth = 32\ndepth = 2\n";
  config::po::options_description d;
  interpolant::add_interpolant_options(d);
  const auto opts = config::Options::parse(d, deck, {});
  interpolant::InterpolantSampler sampler(opts);
  Progress progress(comm, true);
  RunContext ctx{comm, opts, t, 3, progress};
  const auto s = sampler.run(ctx);
  const double ll = s.scalars.at("test_log_likelihood"), ll_true = s.scalars.at("test_log_likelihood_target");
  Scalars lw("lw", s.x.extent(0));
  const auto U = s.U, lq = s.log_q;
  Kokkos::parallel_for(
      "lw", Kokkos::RangePolicy<ExecSpace>(0, lw.extent(0)), KOKKOS_LAMBDA(const int i) { lw(i) = -U(i) - lq(i); });
  const auto w = metrics::weight_summary(comm, lw);
  INFO("test log-likelihood " << ll << " (true density " << ll_true << ", " << s.scalars.at("test_rows")
                              << " rows); IS log Z " << w.log_z << ", reverse ESS " << w.ess_fraction);
  CHECK(s.has_log_q);
  CHECK(s.dec.global == 4000);
  // KL(data ‖ flow) = ll_true − ll ≥ 0 up to the test-set error (≈ 1.2/√800 ≈ 0.04).
  CHECK(ll < ll_true + 0.12);
  CHECK(ll > ll_true - 0.15);
  CHECK(std::abs(w.log_z) < 0.1);  // the mixture is normalised: log Z = 0
  CHECK(w.ess_fraction > 0.6);
  const auto& loss = s.series.at("loss");
  CHECK(loss.back() < loss.front());
}
