#pragma once
// Data-parallel training: every rank computes the gradient SUM over its own particles;
// one MPI_Allreduce sums them and the result is divided by the global batch size, so all
// ranks take the identical optimizer step (float gradients are reduced in double).
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::nn {

template <class Scalar>
void average_gradients(const Comm& comm, const Vector<Scalar>& grads, double global_batch);

// Rank 0's parameters copied to every rank (after initialisation or restart).
template <class Scalar>
void broadcast_params(const Comm& comm, const Vector<Scalar>& params);

}  // namespace boltzflow::nn
