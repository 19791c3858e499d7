// Fisher–Rao checkpoint/restart in process, for all three curves: a run stopped after k
// iterations and resumed from its checkpoint reproduces an uninterrupted run bit for bit
// (networks, Adam moments, step counts, series); the checkpoint after training (written with
// run.checkpoint_every = 0 too) skips training;
// a checkpoint of another curve, network shape or a longer run is refused naming run.restart.
#include <cstdio>
#include <string>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Progress.hpp"
#include "boltzflow/samplers/Checkpoint.hpp"
#include "boltzflow/samplers/fisher_rao/FisherRao.hpp"
#include "catch_compat.hpp"
#include "test_fisher_rao_support.hpp"

using namespace boltzflow;

namespace {

// One run of `deck` (+ overrides) with checkpoints at <prefix>_checkpoint.h5.
SampleSet run_with_checkpoints(const Comm& comm, const std::string& deck, const std::vector<std::string>& overrides,
                               const Target& t) {
  config::po::options_description d;
  fisher_rao::add_fisher_rao_options(d);
  add_checkpoint_options(d);
  config::add_string(d, "output.prefix", "fr", "output prefix");
  const auto opts = config::Options::parse(d, deck, overrides);
  fisher_rao::FisherRao sampler(opts);
  Progress progress(comm, true);
  const Checkpoints checkpoints(comm, opts);
  RunContext ctx{comm, opts, t, 3, progress, &checkpoints};
  return sampler.run(ctx);
}

bool same_samples(const Comm& comm, const SampleSet& a, const SampleSet& b) {
  auto xa = Kokkos::create_mirror_view_and_copy(HostSpace(), a.x), xb = Kokkos::create_mirror_view_and_copy(HostSpace(), b.x);
  auto qa = Kokkos::create_mirror_view_and_copy(HostSpace(), a.log_q);
  auto qb = Kokkos::create_mirror_view_and_copy(HostSpace(), b.log_q);
  bool same = xa.extent(0) == xb.extent(0) && a.series.at("loss") == b.series.at("loss") &&
              a.series.at("grad_norm") == b.series.at("grad_norm") && a.series.at("lr") == b.series.at("lr");
  for (std::size_t i = 0; same && i < xa.extent(0); ++i)
    same = qa(i) == qb(i) && xa(i, 0) == xb(i, 0) && xa(i, 1) == xb(i, 1);
  return !comm.any(!same);
}

const char* deck =
    "[fisher_rao]\niterations = 9\nbatch = 64\ntime_groups = 4\nbox_lo = -4\nbox_hi = 4\ncollocation_times = 4\n"
    "base_sigma = 1.5\nsamples = 100\nsample_batch = 64\nnll_samples = 0\nsave_trajectories = 0\nsample_steps = 8\n"
    "lr = 0.01\ntime_width = 8\n[network]\nwidth = 8\ndepth = 2\n";

}  // namespace

TEST_CASE("Fisher-Rao resumes bit-identically from a checkpoint", "[samplers][fisher_rao][restart][mpi]") {
  Comm comm;
  fr_test::IsoGaussian target({1.0, -0.5}, 0.8);
  // Per rank count: the 1- and 2-rank runs of ctest may run at the same time.
  const std::string dir = "fr_restart_test_np" + std::to_string(comm.size());
  for (const char* curve : {"gradient_flow", "learned", "linear"}) {
    INFO("interpolation = " << curve);
    const std::string kind = std::string("--fisher_rao.interpolation=") + curve;
    const std::string c_on = "--fisher_rao.learn_c=on";  // C_t is one more network to restore
    const auto ref = run_with_checkpoints(comm, deck, {kind, c_on, "--output.prefix=" + dir + "_ref"}, target);
    REQUIRE(ref.series.at("loss").size() == 9);
    // run.checkpoint_every = 0 (the default) still leaves the checkpoint after training, and it
    // restarts straight into sampling (what a stop while sampling resumes from).
    const std::string ref_ck = dir + "_ref_checkpoint.h5";
    const auto from_ref = run_with_checkpoints(comm, deck, {kind, c_on, "--output.prefix=" + dir + "_ref",
                                                            "--run.restart=" + ref_ck}, target);
    CHECK(same_samples(comm, ref, from_ref));

    // "Stopped" after 4 iterations (constant learning rate: the same 4 steps), then resumed to 9.
    const std::string p = "--output.prefix=" + dir + "_" + curve, ck = dir + "_" + curve + "_checkpoint.h5";
    run_with_checkpoints(comm, deck, {kind, c_on, p, "--fisher_rao.iterations=4", "--run.checkpoint_every=4"}, target);
    const auto resumed =
        run_with_checkpoints(comm, deck, {kind, c_on, p, "--run.checkpoint_every=5", "--run.restart=" + ck}, target);
    CHECK(same_samples(comm, ref, resumed));
    // Its last checkpoint is the one after training (iteration 9, not a multiple of 5): resumed,
    // it skips training and gives the same samples.
    const auto skipped = run_with_checkpoints(comm, deck, {kind, c_on, p, "--run.restart=" + ck}, target);
    CHECK(same_samples(comm, ref, skipped));

    // Checkpoints that do not fit the deck.
    const std::string other = std::string("--fisher_rao.interpolation=") + (curve[0] == 'g' ? "linear" : "gradient_flow");
    CHECK_THROWS_AS(run_with_checkpoints(comm, deck, {other, c_on, p, "--run.restart=" + ck}, target), InputError);
    CHECK_THROWS_AS(run_with_checkpoints(comm, deck, {kind, c_on, p, "--network.width=9", "--run.restart=" + ck}, target),
                    InputError);
    CHECK_THROWS_AS(run_with_checkpoints(comm, deck, {kind, "--fisher_rao.learn_c=off", p, "--run.restart=" + ck}, target),
                    InputError);
    CHECK_THROWS_AS(
        run_with_checkpoints(comm, deck, {kind, c_on, p, "--fisher_rao.iterations=5", "--run.restart=" + ck}, target),
        InputError);
    comm.barrier();
    if (comm.root()) std::remove(ck.c_str()), std::remove(ref_ck.c_str());
  }
  comm.barrier();
}
