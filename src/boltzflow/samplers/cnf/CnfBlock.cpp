#include "boltzflow/samplers/cnf/CnfBlock.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/nn/NetworkFactory.hpp"

namespace boltzflow::cnf {

CnfBlock make_mlp_block(const nn::NetworkConfig& net, int dim, const ode::FlowSpec& flow) {
  CnfBlock b;
  b.velocity = std::shared_ptr<nn::VelocityField<Real>>(nn::make_velocity_mlp<Real>(net, dim));
  b.flow = flow;
  return b;
}

void copy_params(const CnfBlock& src, const CnfBlock& dst) {
  BOLTZFLOW_ASSERT(src.velocity->num_params() == dst.velocity->num_params() && src.dim() == dst.dim(),
                   "cnf::copy_params: blocks have different layouts");
  Kokkos::deep_copy(dst.params(), src.params());
}

}  // namespace boltzflow::cnf
