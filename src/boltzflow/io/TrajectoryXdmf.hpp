#pragma once
// XDMF sidecar so ParaView plays particle trajectories as an animation: a temporal collection
// with one Polyvertex grid per frame, whose geometry is a HyperSlab of the (n, frames, d)
// dataset selecting that frame for all particles (no copy of the data, just a view).
#include <cstdint>
#include <string>
#include <vector>

namespace boltzflow::io {

// An (n, frames, d) dataset of particle paths in one of the run's HDF5 files. n = 0: there is none.
struct TrajectoryLayout {
  std::string dataset;        // e.g. "/trajectories/x"
  std::int64_t n = 0;         // particles
  std::int64_t frames = 0;    // positions per particle
  int d = 0;                  // coordinates per position
  std::vector<double> times;  // one increasing time per frame (ParaView's time axis); empty: frame index
  std::string file = {};      // the HDF5 file holding `dataset`, relative to the sidecar; empty: the samples file
};

// True when the layout can be drawn: n, frames > 0 and d >= 2 (ParaView needs 2 or 3
// coordinates; a 1-D path has no sensible point-cloud picture, d > 3 shows the first three).
bool drawable(const TrajectoryLayout& t);

// Written by the caller on one rank, to <xmf_path>.tmp then renamed. Throws
// std::invalid_argument for a layout that is not drawable or whose times do not match frames
// or do not increase.
void write_trajectory_xdmf(const std::string& xmf_path, const std::string& h5_file_name, const TrajectoryLayout& t);

}  // namespace boltzflow::io
