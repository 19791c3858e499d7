#include "boltzflow/samplers/cnf/BlockTrainer.hpp"

#include <cmath>
#include <ctime>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/nn/DataParallel.hpp"
#include "boltzflow/samplers/cnf/Minibatch.hpp"

namespace boltzflow::cnf {

namespace {
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}
}  // namespace

TrainLog train_block(const Comm& comm, const CnfBlock& block, const Decomposition& dec, const Particles& pool,
                     const Scalars& offset, const BlockObjective& objective, const BlockTrainConfig& config,
                     std::uint64_t seed, int block_index, Progress& progress) {
  BOLTZFLOW_ASSERT(std::int64_t(pool.extent(0)) == dec.local, "cnf::train_block: pool rows differ from the decomposition");
  BOLTZFLOW_ASSERT(offset.extent(0) == 0 || offset.extent(0) == pool.extent(0), "cnf::train_block: offset size");
  const int d = block.dim();
  MinibatchSampler batches(dec, config.batch, seed, static_cast<std::uint64_t>(block_index));
  const double B = double(batches.global_batch());
  const int cap = static_cast<int>(std::min<std::int64_t>(batches.global_batch(), dec.local));
  Particles xb("boltzflow::cnf::batch_x", cap, d);
  Scalars ob("boltzflow::cnf::batch_offset", offset.extent(0) > 0 ? cap : 0);
  Probes probes;
  if (objective.div == nn::DivMode::hutchinson) probes = Probes("boltzflow::cnf::probes", cap, objective.probes, d);
  BlockLoss loss(block, objective, config.budget);
  const auto params = block.params();
  // The gradient and the four loss sums travel in ONE allreduce: [∂θ..., E, ℓ, ω, offset].
  const auto P = params.extent(0);
  Vector<Real> reduced("boltzflow::cnf::grads_and_sums", P + 4);
  const Vector<Real> grads = Kokkos::subview(reduced, Kokkos::make_pair(std::size_t(0), P));
  const auto sums_dev = Kokkos::subview(reduced, Kokkos::make_pair(P, P + 4));
  Kokkos::View<Real[4], HostSpace> sums("boltzflow::cnf::loss_sums");
  nn::Adam<Real> adam(params.extent(0), config.adam);

  TrainLog log;
  const std::string where = config.name + " block " + std::to_string(block_index);
  progress.start(where, config.iterations, config.print_every);
  Kokkos::Timer timer;
  const double cpu0 = process_cpu_seconds();
  for (long it = 0; it < config.iterations; ++it) {
    if (config.poll) config.poll(it);
    batches.select(it);
    const int n = batches.local_count();
    gather_rows(pool, batches.rows(), n, xb);
    if (probes.extent(0) > 0) fill_probes(probes, batches.ids(), n, objective.probe_kind, seed, block_index, it);
    Kokkos::deep_copy(reduced, 0.0);
    const LossSums s = loss.evaluate(xb, n, probes, grads);
    double osum = 0;
    if (ob.extent(0) > 0) {
      const auto rows = batches.rows();
      Kokkos::parallel_reduce(
          "boltzflow::cnf::batch_offset", Kokkos::RangePolicy<ExecSpace>(0, n),
          KOKKOS_LAMBDA(const int i, double& a) { a += offset(rows(i)); }, osum);
    }
    sums(0) = s.energy;
    sums(1) = s.divergence;
    sums(2) = s.kinetic;
    sums(3) = osum;
    Kokkos::deep_copy(sums_dev, sums);
    nn::average_gradients(comm, reduced, B);  // sums over ranks, then / B: gradient and loss means
    Kokkos::deep_copy(sums, sums_dev);
    const double e = sums(0), l = sums(1), k = sums(2), o = sums(3);
    const double value = e - l + objective.gamma * k - o;
    if (!std::isfinite(value))
      throw NumericalError(where + ", iteration " + std::to_string(it) + ": non-finite loss " + std::to_string(value));
    double gnorm = 0;
    try {
      gnorm = adam.step(params, grads);
    } catch (const NumericalError& err) {
      throw NumericalError(where + ", iteration " + std::to_string(it) + ": " + err.what());
    }
    log.loss.push_back(value);
    log.energy.push_back(e);
    log.divergence.push_back(l);
    log.kinetic.push_back(k);
    log.grad_norm.push_back(gnorm);
    progress.update(it + 1, {{"loss", value}, {"E", e}, {"div", l}, {"kin", k}, {"|g|", gnorm}});
  }
  Kokkos::fence();
  block.velocity->release_workspace();  // the trained block's jets are not needed until it is used
  log.seconds = timer.seconds();
  log.cpu_seconds = process_cpu_seconds() - cpu0;
  log.nfe = loss.nfe();
  return log;
}

}  // namespace boltzflow::cnf
