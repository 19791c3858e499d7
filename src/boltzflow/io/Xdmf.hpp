#pragma once
// XDMF sidecar so ParaView opens a sample file as a point cloud: Polyvertex topology, the
// first (up to) three coordinates as geometry, per-sample scalars as attributes.
#include <cstdint>
#include <string>
#include <vector>

namespace boltzflow::io {

// Written by the caller on one rank, to <xmf_path>.tmp then renamed.
void write_xdmf(const std::string& xmf_path, const std::string& h5_file_name, std::int64_t n, int d,
                const std::string& x_dataset, const std::vector<std::string>& scalar_datasets);

}  // namespace boltzflow::io
