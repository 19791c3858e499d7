#include "boltzflow/core/Comm.hpp"

namespace boltzflow {

Comm::Comm(MPI_Comm parent) {
  auto* c = new MPI_Comm;
  MPI_Comm_dup(parent, c);
  comm_ = std::shared_ptr<MPI_Comm>(c, [](MPI_Comm* p) {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Comm_free(p);
    delete p;
  });
  MPI_Comm_rank(*comm_, &rank_);
  MPI_Comm_size(*comm_, &size_);
}

double Comm::sum(double v) const {
  double r;
  MPI_Allreduce(&v, &r, 1, MPI_DOUBLE, MPI_SUM, raw());
  return r;
}
double Comm::max(double v) const {
  double r;
  MPI_Allreduce(&v, &r, 1, MPI_DOUBLE, MPI_MAX, raw());
  return r;
}
double Comm::min(double v) const {
  double r;
  MPI_Allreduce(&v, &r, 1, MPI_DOUBLE, MPI_MIN, raw());
  return r;
}
std::int64_t Comm::sum(std::int64_t v) const {
  std::int64_t r;
  MPI_Allreduce(&v, &r, 1, MPI_INT64_T, MPI_SUM, raw());
  return r;
}
std::int64_t Comm::exscan(std::int64_t v) const {
  std::int64_t r = 0;
  MPI_Exscan(&v, &r, 1, MPI_INT64_T, MPI_SUM, raw());
  return rank_ == 0 ? 0 : r;  // MPI leaves rank 0's result undefined
}
bool Comm::any(bool flag) const {
  int f = flag ? 1 : 0, r = 0;
  MPI_Allreduce(&f, &r, 1, MPI_INT, MPI_MAX, raw());
  return r != 0;
}
void Comm::barrier() const { MPI_Barrier(raw()); }

std::vector<std::int64_t> Comm::allgather(std::int64_t v) const {
  std::vector<std::int64_t> all(size_);
  MPI_Allgather(&v, 1, MPI_INT64_T, all.data(), 1, MPI_INT64_T, raw());
  return all;
}

Matrix<Real, HostSpace> Comm::allgather_rows(const Matrix<Real, HostSpace>& local) const {
  const auto d = static_cast<std::int64_t>(local.extent(1));
  const auto counts = allgather(static_cast<std::int64_t>(local.extent(0)) * d);
  std::vector<int> cnt(size_), disp(size_);
  std::int64_t total = 0;
  for (int r = 0; r < size_; ++r) {
    cnt[r] = static_cast<int>(counts[r]);
    disp[r] = static_cast<int>(total);
    total += counts[r];
  }
  Matrix<Real, HostSpace> all("allgather_rows", d > 0 ? total / d : 0, local.extent(1));
  MPI_Allgatherv(local.data(), cnt[rank_], MPI_DOUBLE, all.data(), cnt.data(), disp.data(), MPI_DOUBLE, raw());
  return all;
}

void Comm::broadcast(std::string& s, int root) const {
  std::int64_t n = static_cast<std::int64_t>(s.size());
  MPI_Bcast(&n, 1, MPI_INT64_T, root, raw());
  s.resize(static_cast<std::size_t>(n));
  MPI_Bcast(s.data(), static_cast<int>(n), MPI_CHAR, root, raw());
}

}  // namespace boltzflow
