#include "boltzflow/targets/Csv.hpp"

#include <fstream>
#include <sstream>

#include "boltzflow/core/Error.hpp"

namespace boltzflow {

CsvTable read_csv(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  if (!in) throw InputError(key + ": cannot read '" + path + "'");
  CsvTable t;
  std::getline(in, t.header);
  std::string line;
  for (int lineno = 2; std::getline(in, line); ++lineno) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::vector<double> row;
    std::istringstream fields(line);
    std::string f;
    while (std::getline(fields, f, ',')) {
      std::size_t used = 0;
      double v = 0;
      try {
        v = std::stod(f, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || f.find_first_not_of(" \t", used) != std::string::npos)
        throw InputError(key + ": '" + path + "' line " + std::to_string(lineno) + ": '" + f + "' is not a number");
      row.push_back(v);
    }
    if (!t.rows.empty() && row.size() != t.rows[0].size())
      throw InputError(key + ": '" + path + "' line " + std::to_string(lineno) + " has " + std::to_string(row.size()) +
                       " fields, expected " + std::to_string(t.rows[0].size()));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string resolve_data_path(const std::string& path, const std::string& key) {
  if (path.empty()) throw InputError(key + ": no file given");
  if (path[0] == '/' || std::ifstream(path).good()) return path;
  const std::string in_source = std::string(BOLTZFLOW_SOURCE_DIR) + "/" + path;
  if (std::ifstream(in_source).good()) return in_source;
  throw InputError(key + ": cannot find '" + path + "' (looked in the current directory and in " +
                   BOLTZFLOW_SOURCE_DIR + ")");
}

}  // namespace boltzflow
