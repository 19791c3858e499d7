#pragma once
// Thin MPI layer: a duplicated communicator (freed before MPI_Finalize) and the few
// collectives boltzflow needs. Device Views are staged through host memory unless
// BOLTZFLOW_GPU_AWARE_MPI is defined; every call fences first.
#include <mpi.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "boltzflow/core/Types.hpp"

namespace boltzflow {

class Comm {
 public:
  explicit Comm(MPI_Comm parent = MPI_COMM_WORLD);
  MPI_Comm raw() const { return *comm_; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }

  double sum(double v) const;
  double max(double v) const;
  double min(double v) const;
  std::int64_t sum(std::int64_t v) const;
  std::int64_t exscan(std::int64_t v) const;  // rank 0 gets 0
  bool any(bool flag) const;                  // logical OR across ranks
  void barrier() const;

  // In-place sum over ranks of a contiguous View (gradients, histograms).
  template <class View>
  void allreduce_sum(const View& v) const;
  // Every rank's local rows gathered on every rank, in rank order (small data only).
  Matrix<Real, HostSpace> allgather_rows(const Matrix<Real, HostSpace>& local) const;
  std::vector<std::int64_t> allgather(std::int64_t v) const;
  void broadcast(std::string& s, int root = 0) const;
  // root's contents of a contiguous View copied bitwise to every rank (network parameters).
  template <class View>
  void broadcast(const View& v, int root = 0) const;

 private:
  std::shared_ptr<MPI_Comm> comm_;
  int rank_ = 0, size_ = 1;
};

template <class View>
void Comm::allreduce_sum(const View& v) const {
  static_assert(std::is_same<typename View::non_const_value_type, double>::value, "double Views only");
  Kokkos::fence();
  if (!v.span_is_contiguous()) throw std::logic_error("Comm::allreduce_sum: View is not contiguous");
#ifdef BOLTZFLOW_GPU_AWARE_MPI
  MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.span()), MPI_DOUBLE, MPI_SUM, raw());
#else
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  MPI_Allreduce(MPI_IN_PLACE, h.data(), static_cast<int>(h.span()), MPI_DOUBLE, MPI_SUM, raw());
  Kokkos::deep_copy(v, h);
#endif
}

template <class View>
void Comm::broadcast(const View& v, int root) const {
  Kokkos::fence();
  if (!v.span_is_contiguous()) throw std::logic_error("Comm::broadcast: View is not contiguous");
  // Bytes, not MPI_DOUBLE/MPI_FLOAT: the copy is bitwise for any trivially copyable value type.
  const int bytes = static_cast<int>(v.span() * sizeof(typename View::value_type));
#ifdef BOLTZFLOW_GPU_AWARE_MPI
  MPI_Bcast(v.data(), bytes, MPI_BYTE, root, raw());
#else
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  MPI_Bcast(h.data(), bytes, MPI_BYTE, root, raw());
  Kokkos::deep_copy(v, h);
#endif
}

}  // namespace boltzflow
