#include "boltzflow/nn/DataParallel.hpp"

#include <type_traits>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::nn {

template <class Scalar>
void average_gradients(const Comm& comm, const Vector<Scalar>& grads, double global_batch) {
  BOLTZFLOW_ASSERT(global_batch > 0, "average_gradients: the global batch must be positive");
  const int n = static_cast<int>(grads.extent(0));
  if constexpr (std::is_same<Scalar, double>::value) {
    comm.allreduce_sum(grads);
    Kokkos::parallel_for(
        "boltzflow::nn::average_gradients", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int i) { grads(i) /= global_batch; });
  } else {
    // Summing float partial sums over many ranks in float loses digits; stage through double.
    Vector<double> wide("boltzflow::nn::grads_double", n);
    Kokkos::parallel_for(
        "boltzflow::nn::grads_to_double", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int i) { wide(i) = static_cast<double>(grads(i)); });
    comm.allreduce_sum(wide);
    Kokkos::parallel_for(
        "boltzflow::nn::average_gradients", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int i) { grads(i) = static_cast<Scalar>(wide(i) / global_batch); });
  }
  Kokkos::fence();
}

template <class Scalar>
void broadcast_params(const Comm& comm, const Vector<Scalar>& params) {
  comm.broadcast(params, 0);
}

template void average_gradients<double>(const Comm&, const Vector<double>&, double);
template void average_gradients<float>(const Comm&, const Vector<float>&, double);
template void broadcast_params<double>(const Comm&, const Vector<double>&);
template void broadcast_params<float>(const Comm&, const Vector<float>&);

}  // namespace boltzflow::nn
