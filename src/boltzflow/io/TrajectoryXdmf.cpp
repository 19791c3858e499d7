#include "boltzflow/io/TrajectoryXdmf.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace boltzflow::io {

bool drawable(const TrajectoryLayout& t) { return t.n > 0 && t.frames > 0 && t.d >= 2 && !t.dataset.empty(); }

void write_trajectory_xdmf(const std::string& xmf_path, const std::string& h5, const TrajectoryLayout& t) {
  if (!drawable(t)) throw std::invalid_argument("trajectory XDMF: needs n, frames > 0 and d >= 2 ('" + t.dataset + "')");
  if (!t.times.empty() && std::int64_t(t.times.size()) != t.frames)
    throw std::invalid_argument("trajectory XDMF: " + std::to_string(t.times.size()) + " times for " +
                                std::to_string(t.frames) + " frames");
  for (std::size_t k = 1; k < t.times.size(); ++k)  // ParaView orders grids by time: keep the frame order
    if (!(t.times[k] > t.times[k - 1])) throw std::invalid_argument("trajectory XDMF: times must increase");
  const int g = t.d >= 3 ? 3 : 2;  // geometry columns: XY or the first three as XYZ
  const std::string N = std::to_string(t.n), F = std::to_string(t.frames), D = std::to_string(t.d),
                    G = std::to_string(g);
  std::ofstream f(xmf_path + ".tmp");
  f.precision(17);  // times round-trip exactly
  f << "<?xml version=\"1.0\" ?>\n<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n<Xdmf Version=\"3.0\">\n <Domain>\n"
    << "  <Grid Name=\"trajectories\" GridType=\"Collection\" CollectionType=\"Temporal\">\n";
  for (std::int64_t fr = 0; fr < t.frames; ++fr) {
    const std::string S = std::to_string(fr);
    f << "   <Grid Name=\"frame_" << S << "\" GridType=\"Uniform\">\n"
      << "    <Time Value=\"" << (t.times.empty() ? double(fr) : t.times[fr]) << "\"/>\n"
      << "    <Topology TopologyType=\"Polyvertex\" NumberOfElements=\"" << N << "\"/>\n"
      << "    <Geometry GeometryType=\"" << (g == 2 ? "XY" : "XYZ") << "\">\n"
      // Rows of the slab: start, stride, count over the (n, frames, d) dimensions.
      << "     <DataItem ItemType=\"HyperSlab\" Dimensions=\"" << N << " " << G << "\" Type=\"HyperSlab\">\n"
      << "      <DataItem Dimensions=\"3 3\" Format=\"XML\">0 " << S << " 0 1 1 1 " << N << " 1 " << G << "</DataItem>\n"
      << "      <DataItem Dimensions=\"" << N << " " << F << " " << D
      << "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">" << h5 << ":" << t.dataset << "</DataItem>\n"
      << "     </DataItem>\n    </Geometry>\n   </Grid>\n";
  }
  f << "  </Grid>\n </Domain>\n</Xdmf>\n";
  f.close();
  if (!f || std::rename((xmf_path + ".tmp").c_str(), xmf_path.c_str()) != 0)
    throw std::runtime_error("cannot write XDMF file '" + xmf_path + "'");
}

}  // namespace boltzflow::io
