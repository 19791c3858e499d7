#include "boltzflow/io/Xdmf.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace boltzflow::io {

void write_xdmf(const std::string& xmf_path, const std::string& h5, std::int64_t n, int d, const std::string& xset,
                const std::vector<std::string>& scalars) {
  const int g = d >= 3 ? 3 : d;  // geometry columns: XY for d <= 2 (d = 1 padded with X_Y below), XYZ otherwise
  const std::string N = std::to_string(n), D = std::to_string(d);
  std::ofstream f(xmf_path + ".tmp");
  f << "<?xml version=\"1.0\" ?>\n<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n<Xdmf Version=\"3.0\">\n <Domain>\n"
    << "  <Grid Name=\"samples\" GridType=\"Uniform\">\n"
    << "   <Topology TopologyType=\"Polyvertex\" NumberOfElements=\"" << N << "\"/>\n";
  if (g == 1) {  // a 1-D sample cloud is drawn on the x axis
    f << "   <Geometry GeometryType=\"X_Y_Z\">\n";
    f << "    <DataItem ItemType=\"HyperSlab\" Dimensions=\"" << N << "\" Type=\"HyperSlab\">\n"
      << "     <DataItem Dimensions=\"3 2\" Format=\"XML\">0 0 1 1 " << N << " 1</DataItem>\n"
      << "     <DataItem Dimensions=\"" << N << " " << D << "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">"
      << h5 << ":" << xset << "</DataItem>\n    </DataItem>\n";
    for (int k = 0; k < 2; ++k)
      f << "    <DataItem ItemType=\"Function\" Function=\"0 * $0\" Dimensions=\"" << N << "\">\n"
        << "     <DataItem Dimensions=\"" << N << "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">" << h5 << ":"
        << scalars.at(0) << "</DataItem>\n    </DataItem>\n";
    f << "   </Geometry>\n";
  } else {
    f << "   <Geometry GeometryType=\"" << (g == 2 ? "XY" : "XYZ") << "\">\n";
    if (g == d) {
      f << "    <DataItem Dimensions=\"" << N << " " << D << "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">"
        << h5 << ":" << xset << "</DataItem>\n";
    } else {  // first three columns of an (N, d) dataset
      f << "    <DataItem ItemType=\"HyperSlab\" Dimensions=\"" << N << " 3\" Type=\"HyperSlab\">\n"
        << "     <DataItem Dimensions=\"3 2\" Format=\"XML\">0 0 1 1 " << N << " 3</DataItem>\n"
        << "     <DataItem Dimensions=\"" << N << " " << D << "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">"
        << h5 << ":" << xset << "</DataItem>\n    </DataItem>\n";
    }
    f << "   </Geometry>\n";
  }
  for (const auto& s : scalars) {
    const auto name = s.substr(s.find_last_of('/') + 1);
    f << "   <Attribute Name=\"" << name << "\" AttributeType=\"Scalar\" Center=\"Node\">\n"
      << "    <DataItem Dimensions=\"" << N << "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">" << h5 << ":"
      << s << "</DataItem>\n   </Attribute>\n";
  }
  f << "  </Grid>\n </Domain>\n</Xdmf>\n";
  f.close();
  if (!f || std::rename((xmf_path + ".tmp").c_str(), xmf_path.c_str()) != 0)
    throw std::runtime_error("cannot write XDMF file '" + xmf_path + "'");
}

}  // namespace boltzflow::io
