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

// The folders relative data paths are looked up in after the current directory:
// $BOLTZFLOW_DATA_DIR, <prefix>/share/boltzflow of the running <prefix>/bin executable
// (an installed build), then the source tree of the build.
std::vector<std::string> data_search_path();

// Where a data file named in the deck lies: absolute paths as given; relative ones against
// the current directory, then data_search_path(). InputError naming the key and every folder
// looked in when none has it.
std::string resolve_data_path(const std::string& path, const std::string& key);

}  // namespace boltzflow
