#pragma once
// Particle paths of any size in a file of their own, <prefix>_trajectories.h5: an (N, frames, d)
// float64 dataset /trajectories/x (row g = the g-th particle in rank order, each rank's rows at
// the exclusive scan of the local counts) and the time of each frame, /trajectories/times.
// Written collectively one frame at a time, so no rank ever holds more than its own rows of
// one frame; chunked and deflate-compressed so that one particle's path and one time slice are
// both cheap to read (see chunk_rows). Like H5Writer the file is <path>.tmp until commit().
#include <cstdint>
#include <string>
#include <vector>

#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/io/TrajectoryXdmf.hpp"

namespace boltzflow::io {

std::string trajectory_file_name(const std::string& prefix);  // <prefix>_trajectories.h5

class TrajectoryWriter {
 public:
  static constexpr const char* dataset = "/trajectories/x";
  static constexpr const char* times_dataset = "/trajectories/times";
  static constexpr int default_deflate = 1;  // level 1: most of the gain on float64 paths at the least cost

  // Collective. local_rows may be 0 on some ranks but not on all; times: one per frame
  // (frames = times.size() > 0). deflate: 0 (none) .. 9.
  TrajectoryWriter(const Comm& comm, const std::string& path, std::int64_t local_rows, int d,
                   const std::vector<double>& times, int deflate = default_deflate);
  TrajectoryWriter(const TrajectoryWriter&) = delete;
  TrajectoryWriter& operator=(const TrajectoryWriter&) = delete;
  ~TrajectoryWriter();

  // Collective: frame f of this rank's rows, local (local_rows, d). Every frame exactly once.
  void write_frame(int f, const HostParticles& local);
  // Collective: all frames written (std::logic_error otherwise); close and rename.
  void commit();

  // Replicated metadata (attributes, small arrays) in the same file, before commit().
  H5Writer& file() { return file_; }
  TrajectoryLayout layout() const;  // the dataset for an XDMF sidecar next to it; file = file_name()
  const std::string& path() const { return file_.path(); }
  std::string file_name() const;  // path() without its directory
  std::int64_t local_rows() const { return local_; }
  std::int64_t rows() const { return global_; }  // N
  int frames() const { return static_cast<int>(times_.size()); }
  int dim() const { return d_; }
  // Chunk shape (chunk_rows, 1, d): see TrajectoryWriter.cpp for the choice.
  std::int64_t chunk_rows() const { return chunk_rows_; }
  // Whether the deflate filter is on (off when asked for 0, or where this HDF5 cannot write
  // filtered datasets in parallel; `compression_note` says why).
  bool compressed() const { return compressed_; }
  const std::string& compression_note() const { return note_; }
  // Whether HDF5 really wrote every frame so far collectively (H5Pget_mpio_actual_io_mode).
  bool collective() const { return collective_; }

 private:
  const Comm& comm_;
  H5Writer file_;
  std::int64_t local_ = 0, global_ = 0, offset_ = 0, chunk_rows_ = 0;
  int d_ = 0;
  std::vector<double> times_;
  std::vector<char> written_;  // per frame
  int frames_written_ = 0;
  hid_t dset_ = -1;
  bool compressed_ = false, collective_ = false;
  std::string note_;
};

}  // namespace boltzflow::io
