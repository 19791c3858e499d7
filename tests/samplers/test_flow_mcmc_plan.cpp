// flow_mcmc's phase plan (samplers/flow_mcmc/PhasePlan): which decks continue a checkpoint.
// Completed phases must keep their length; the phase in progress may grow or shrink down to
// what is done; in production the recorded iterations (record_every) must stay the same.
#include "boltzflow/core/Error.hpp"
#include "boltzflow/samplers/flow_mcmc/PhasePlan.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using flow_mcmc::PhasePlan;

namespace {
// The InputError message of continuing `ck` after `done` rounds with `deck`, or "" if it continues.
std::string refusal(const PhasePlan& ck, const PhasePlan& deck, long done) {
  try {
    ck.check_continued_by(deck, done);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
PhasePlan plan(long b, long t, long p, long r) { return PhasePlan{b, t, p, r}; }
}  // namespace

TEST_CASE("flow_mcmc phase plan: a checkpoint continues only under a deck with the same completed phases",
          "[samplers][flow_mcmc]") {
  const auto ck = plan(20, 30, 40, 2);
  CHECK(ck.total() == 90);
  CHECK(ck.records(35) == 0);
  CHECK(ck.records(60) == 5);  // 10 production iterations, every 2nd recorded
  CHECK(ck.records(61) == 5);

  // In burn-in (10 of 20 moves done): burn-in may change down to 10, the later phases freely.
  CHECK(refusal(ck, plan(10, 1, 0, 7), 10).empty());
  CHECK(refusal(ck, ck, 10).empty());
  CHECK_THAT(refusal(ck, plan(9, 30, 40, 2), 10), Catch::Contains("run.restart") && Catch::Contains("flow_mcmc.burnin"));

  // In training (15 of 30 iterations done): burn-in fixed, training down to 15.
  CHECK(refusal(ck, plan(20, 15, 5, 3), 35).empty());
  CHECK_THAT(refusal(ck, plan(21, 30, 40, 2), 35), Catch::Contains("flow_mcmc.burnin"));
  CHECK_THAT(refusal(ck, plan(20, 14, 40, 2), 35), Catch::Contains("flow_mcmc.training_iterations"));

  // In production (10 of 40 done): burn-in, training and record_every fixed, production down to 10.
  CHECK(refusal(ck, plan(20, 30, 10, 2), 60).empty());
  CHECK(refusal(ck, plan(20, 30, 400, 2), 60).empty());
  CHECK_THAT(refusal(ck, plan(20, 31, 40, 2), 60), Catch::Contains("flow_mcmc.training_iterations"));
  CHECK_THAT(refusal(ck, plan(20, 30, 40, 1), 60), Catch::Contains("flow_mcmc.record_every"));
  CHECK_THAT(refusal(ck, plan(20, 30, 9, 2), 60), Catch::Contains("flow_mcmc.production_iterations"));

  // At a phase boundary (training just ended) the training may still be extended.
  CHECK(refusal(ck, plan(20, 31, 40, 2), 50).empty());
}
