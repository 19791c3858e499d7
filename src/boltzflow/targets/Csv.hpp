#pragma once
// Small numeric CSV tables (data files of the targets): one header line, then rows of numbers.
#include <string>
#include <vector>

namespace boltzflow {

struct CsvTable {
  std::string header;
  std::vector<std::vector<double>> rows;  // all of the same length
};

// Reads `path`; a missing file, a non-numeric field or a ragged row is an InputError that
// names `key` (the deck key that chose the file) and the file.
CsvTable read_csv(const std::string& path, const std::string& key);

// Where a data file named in the deck lies: absolute paths as given; relative ones against
// the current directory first, then the source tree (BOLTZFLOW_SOURCE_DIR). InputError naming
// the key and the path when neither exists.
std::string resolve_data_path(const std::string& path, const std::string& key);

}  // namespace boltzflow
