#pragma once
// The deck reference as Markdown (`boltzflow --help-markdown`): one table per [section] with
// key, default and description, in schema order. README.md embeds it between markers and a
// test keeps the two equal (tools/update-readme-keys.sh rewrites the README part).
#include <string>

#include "boltzflow/config/Options.hpp"

namespace boltzflow {
std::string schema_markdown(const config::po::options_description& schema);
}
