#pragma once
// Streams particle paths to a trajectory file while particles are pushed: the positions of the
// first rows() local particles at the start and after every step of every block, one frame each
// (frame 0 = the start). Only one frame of those rows is ever held on the host.
#include "boltzflow/core/Types.hpp"
#include "boltzflow/io/TrajectoryWriter.hpp"

namespace boltzflow::cnf {

class TrajectoryRecorder {
 public:
  explicit TrajectoryRecorder(io::TrajectoryWriter& out);  // rows = out.local_rows()
  std::int64_t rows() const { return host_.extent(0); }
  int frame() const { return frame_; }  // frames recorded so far
  // Collective (the writer writes every frame on every rank): rows 0..rows()-1 of x, which has
  // at least that many, as the next frame.
  void record(const Particles& x);

 private:
  io::TrajectoryWriter& out_;
  HostParticles host_;  // (rows, d) staging copy, reused for every frame
  int frame_ = 0;
};

}  // namespace boltzflow::cnf
