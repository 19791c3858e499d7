#include "boltzflow/io/TrajectoryWriter.hpp"

#include <H5Zpublic.h>

#include <algorithm>
#include <stdexcept>

#include "boltzflow/io/H5Check.hpp"

namespace boltzflow::io {

namespace {

// Chunk shape (P, 1, d) with P·d·8 ≤ 256 KiB, P ≤ N, and the N rows split into chunks of equal
// size (the last chunk of a frame is not mostly padding: the file stays the size of the data).
// One frame per chunk: parallel HDF5 keeps no chunk cache for filtered datasets, so a chunk
// spanning F frames is read, inflated, patched and deflated again on each of its F frame
// writes (measured, 10⁶ × 11 × 2, 1 rank: chunks (5958, 11, 2) written frame by frame take 40 s
// and 190 MB peak RSS, chunks (16130, 1, 2) 4.9 s and 56 MB), unless the writer buffered F frames,
// F× the memory. With one frame per chunk a frame write fills whole chunks.
// Reads (h5py, same file): a time slice is exactly N/P whole chunks (64 ms for 16 MB; 519 ms with
// the 11-frame chunks, which inflate 11× the data); one particle's path is `frames` chunks,
// frames × 256 KiB inflated whatever N (13 ms; 3.5 ms with 11-frame chunks). 256 KiB rather than
// 1 MiB (65536, 1, 2) chunks: paths 3.5× cheaper (13 vs 46 ms), slices the same, the file 1% larger.
constexpr std::int64_t chunk_bytes = 256 * 1024;

std::int64_t chunk_rows_for(std::int64_t n, int d) {
  const std::int64_t most = std::clamp<std::int64_t>(chunk_bytes / (std::int64_t(sizeof(double)) * d), 1, n);
  const std::int64_t chunks = (n + most - 1) / most;
  return (n + chunks - 1) / chunks;
}

// Why deflate cannot be used here ("" if it can).
std::string deflate_unavailable() {
#if !H5_VERSION_GE(1, 10, 2)
  return "HDF5 " H5_VERSION " cannot write filtered datasets in parallel (needs 1.10.2)";
#else
  unsigned info = 0;
  if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0 || H5Zget_filter_info(H5Z_FILTER_DEFLATE, &info) < 0 ||
      !(info & H5Z_FILTER_CONFIG_ENCODE_ENABLED))
    return "this HDF5 has no deflate encoder";
  return "";
#endif
}

}  // namespace

std::string trajectory_file_name(const std::string& prefix) { return prefix + "_trajectories.h5"; }

TrajectoryWriter::TrajectoryWriter(const Comm& comm, const std::string& path, std::int64_t local_rows, int d,
                                   const std::vector<double>& times, int deflate)
    : comm_(comm), file_(comm, path), local_(local_rows), d_(d), times_(times), written_(times.size(), 0) {
  global_ = comm.sum(local_rows);
  offset_ = comm.exscan(local_rows);
  if (comm.any(local_rows < 0) || global_ <= 0 || d <= 0 || times.empty() || deflate < 0 || deflate > 9)
    throw std::invalid_argument("TrajectoryWriter: needs N > 0 rows in all, d > 0, frames > 0 and deflate 0..9 ('" +
                                path + "')");
  chunk_rows_ = chunk_rows_for(global_, d);
  note_ = deflate == 0 ? "deflate = 0: uncompressed" : deflate_unavailable();
  compressed_ = note_.empty();
  if (compressed_) note_ = "shuffle + deflate level " + std::to_string(deflate);

  const std::string f = path + ".tmp";
  H5Handle dcpl(h5check(H5Pcreate(H5P_DATASET_CREATE), "H5Pcreate", f, dataset), H5Pclose);
  const hsize_t chunk[3] = {hsize_t(chunk_rows_), 1, hsize_t(d)};
  h5check(H5Pset_chunk(dcpl, 3, chunk), "H5Pset_chunk", f, dataset);
  if (compressed_) {
    // Byte shuffle first: the sign/exponent bytes of neighbouring coordinates are alike, the
    // low mantissa bytes noise; grouped, deflate finds the redundancy.
    h5check(H5Pset_shuffle(dcpl), "H5Pset_shuffle", f, dataset);
    h5check(H5Pset_deflate(dcpl, unsigned(deflate)), "H5Pset_deflate", f, dataset);
  }
  // Every element is written: no fill values (parallel HDF5 allocates chunked space early and
  // would otherwise write, and for filtered data compress, a fill pattern first).
  h5check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER), "H5Pset_fill_time", f, dataset);
  dset_ = file_.create_dataset(dataset, H5T_NATIVE_DOUBLE, {hsize_t(global_), hsize_t(frames()), hsize_t(d)}, dcpl);
  file_.write_array(times_dataset, times_, {times_.size()});
  file_.attribute("/trajectories", "layout", std::string("x[particle, frame, coordinate]; frame f at times[f]"));
  file_.attribute("/trajectories", "chunk", std::string(std::to_string(chunk_rows_) + " x 1 x " + std::to_string(d)));
  file_.attribute("/trajectories", "compression", note_);
}

TrajectoryWriter::~TrajectoryWriter() {
  if (dset_ >= 0) H5Dclose(dset_);  // before file_'s destructor closes and removes the tmp file
}

void TrajectoryWriter::write_frame(int f, const HostParticles& local) {
  if (f < 0 || f >= frames() || written_[f])
    throw std::logic_error("TrajectoryWriter: frame " + std::to_string(f) + " of " + std::to_string(frames()) +
                           " is out of range or written twice ('" + path() + "')");
  if (std::int64_t(local.extent(0)) != local_ || int(local.extent(1)) != d_)
    throw std::logic_error("TrajectoryWriter: frame " + std::to_string(f) + " has " + std::to_string(local.extent(0)) +
                           " x " + std::to_string(local.extent(1)) + " values, expected " + std::to_string(local_) +
                           " x " + std::to_string(d_));
  const std::string f_name = path() + ".tmp";
  H5Handle fspace(h5check(H5Dget_space(dset_), "H5Dget_space", f_name, dataset), H5Sclose);
  const hsize_t start[3] = {hsize_t(offset_), hsize_t(f), 0}, count[3] = {hsize_t(local_), 1, hsize_t(d_)};
  // The memory space has the file selection's shape (rows, 1, d): with a (rows, d) one HDF5 maps
  // element by element, ~13× the frame's bytes of transient memory (measured, 1.10.8).
  const hsize_t mdims[3] = {hsize_t(std::max<std::int64_t>(local_, 1)), 1, hsize_t(d_)};
  H5Handle mspace(h5check(H5Screate_simple(3, mdims, nullptr), "H5Screate", f_name, dataset), H5Sclose);
  if (local_ > 0) {
    h5check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, nullptr, count, nullptr), "H5Sselect_hyperslab", f_name,
            dataset);
  } else {  // no rows: still part of the collective write
    H5Sselect_none(fspace);
    H5Sselect_none(mspace);
  }
  h5check(H5Dwrite(dset_, H5T_NATIVE_DOUBLE, mspace, fspace, file_.transfer(), local.data()), "H5Dwrite", f_name,
          dataset);
  // What HDF5 actually did: it may fall back to independent I/O (H5Pget_mpio_no_collective_cause).
  H5D_mpio_actual_io_mode_t mode = H5D_MPIO_NO_COLLECTIVE;
  H5Pget_mpio_actual_io_mode(file_.transfer(), &mode);
  collective_ = !comm_.any(local_ > 0 && mode == H5D_MPIO_NO_COLLECTIVE) && (collective_ || frames_written_ == 0);
  written_[f] = 1;
  ++frames_written_;
}

void TrajectoryWriter::commit() {
  if (frames_written_ < frames())
    throw std::logic_error("TrajectoryWriter: " + std::to_string(frames() - frames_written_) + " of " + std::to_string(frames()) +
                           " frames never written ('" + path() + "')");
  h5check(H5Dclose(dset_), "H5Dclose", path() + ".tmp", dataset);
  dset_ = -1;
  file_.commit();
}

TrajectoryLayout TrajectoryWriter::layout() const {
  TrajectoryLayout t;
  t.dataset = dataset;
  t.n = global_;
  t.frames = frames();
  t.d = d_;
  t.times = times_;
  t.file = file_name();
  return t;
}

std::string TrajectoryWriter::file_name() const {
  const auto slash = path().find_last_of('/');
  return slash == std::string::npos ? path() : path().substr(slash + 1);
}

}  // namespace boltzflow::io
