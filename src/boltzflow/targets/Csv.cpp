#include "boltzflow/targets/Csv.hpp"

#include <cstdlib>
#include <filesystem>
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

std::vector<std::string> data_search_path() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("BOLTZFLOW_DATA_DIR"); env && *env) dirs.emplace_back(env);
  // <prefix>/share/boltzflow next to an installed <prefix>/bin/boltzflow (relocatable)
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back((exe.parent_path().parent_path() / "share" / "boltzflow").string());
  dirs.emplace_back(BOLTZFLOW_SOURCE_DIR);       // the source tree of a build-tree binary
  return dirs;
}

std::string resolve_data_path(const std::string& path, const std::string& key) {
  if (path.empty()) throw InputError(key + ": no file given");
  if (path[0] == '/' || std::ifstream(path).good()) return path;
  std::string looked = "the current directory";
  for (const auto& dir : data_search_path()) {
    const std::string candidate = dir + "/" + path;
    if (std::ifstream(candidate).good()) return candidate;
    looked += ", " + dir;
  }
  throw InputError(key + ": cannot find '" + path + "' (looked in " + looked + ")");
}

}  // namespace boltzflow
