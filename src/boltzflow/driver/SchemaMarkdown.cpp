#include "boltzflow/driver/SchemaMarkdown.hpp"

#include <sstream>

namespace boltzflow {

namespace {
// Boost prints a default as "arg (=value)"; keys without one print "arg".
std::string default_text(const config::po::option_description& o) {
  const std::string p = o.format_parameter();
  const auto at = p.find("(=");
  return at == std::string::npos ? "" : p.substr(at + 2, p.size() - at - 3);
}

// A Markdown table cell: '|' must not end the cell, and '<prefix>' is text, not an HTML tag.
std::string cell(const std::string& s, bool code) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '<' && !code) out += "&lt;";
    else if (c == '>' && !code) out += "&gt;";
    else out += c;
  }
  return out;
}
}  // namespace

std::string schema_markdown(const config::po::options_description& schema) {
  std::ostringstream s;
  std::string section;
  for (const auto& o : schema.options()) {
    const std::string key = o->long_name();
    const std::string sec = key.substr(0, key.find('.'));
    if (sec != section) {
      section = sec;
      s << "\n#### [" << sec << "]\n\n| key | default | description |\n|---|---|---|\n";
    }
    const auto def = default_text(*o);
    s << "| `" << key.substr(sec.size() + 1) << "` | " << (def.empty() ? "" : "`" + cell(def, true) + "`") << " | "
      << cell(o->description(), false) << " |\n";
  }
  return s.str();
}

}  // namespace boltzflow
