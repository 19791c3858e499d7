#include "boltzflow/samplers/cnf/TrajectoryRecorder.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::cnf {

TrajectoryRecorder::TrajectoryRecorder(io::TrajectoryWriter& out)
    : out_(out), host_("boltzflow::cnf::trajectory_frame", out.local_rows(), out.dim()) {}

void TrajectoryRecorder::record(const Particles& x) {
  BOLTZFLOW_ASSERT(frame_ < out_.frames(), "cnf::TrajectoryRecorder: more frames than the trajectory file holds");
  BOLTZFLOW_ASSERT(rows() <= std::int64_t(x.extent(0)) && (rows() == 0 || x.extent(1) == host_.extent(1)),
                   "cnf::TrajectoryRecorder: fewer particles than rows, or another dimension");
  if (rows() > 0) Kokkos::deep_copy(host_, Kokkos::subview(x, Kokkos::make_pair(std::int64_t(0), rows()), Kokkos::ALL()));
  out_.write_frame(frame_++, host_);
}

}  // namespace boltzflow::cnf
