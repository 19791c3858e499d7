#include "boltzflow/config/Options.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

#include "boltzflow/core/Comm.hpp"

namespace boltzflow::config {

void add_string(po::options_description& d, const std::string& key, const std::string& def, const std::string& help) {
  d.add_options()(key.c_str(), po::value<std::string>()->default_value(def), help.c_str());
}

void add_bool(po::options_description& d, const std::string& key, bool def, const std::string& help) {
  d.add_options()(key.c_str(), po::value<bool>()->default_value(def, def ? "true" : "false"), help.c_str());
}

void add_choice(po::options_description& d, const std::string& key, const std::string& def,
                const std::vector<std::string>& allowed, const std::string& help) {
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : "|") + a;
  d.add_options()(key.c_str(), po::value<std::string>()->default_value(def)->notifier([key, allowed, list](const std::string& v) {
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end())
      throw InputError(key + " = '" + v + "' is not one of " + list);
  }),
                  (help + " (" + list + ")").c_str());
}

void add_list(po::options_description& d, const std::string& key, const std::string& def, const std::string& help) {
  d.add_options()(key.c_str(), po::value<std::vector<std::string>>()->composing()->default_value({def}, def), help.c_str());
}

namespace {
std::string boost_message(const po::error& e) {
  // Boost says "unrecognised option 'run.step'" or "the argument ('ten') for option 'run.steps' is invalid".
  return e.what();
}

// Boost converts "-3" to an unsigned key by wrapping around (2^64 − 3), which then passes any
// range check: reject a leading minus on unsigned keys before the values are stored.
void reject_negative_unsigned(const po::options_description& schema, const po::parsed_options& parsed) {
  for (const auto& opt : parsed.options) {
    const auto* desc = schema.find_nothrow(opt.string_key, false);
    if (!desc) continue;
    const auto* sem = desc->semantic().get();
    const bool is_unsigned = dynamic_cast<const po::typed_value<unsigned long>*>(sem) ||
                             dynamic_cast<const po::typed_value<unsigned long long>*>(sem) ||
                             dynamic_cast<const po::typed_value<unsigned int>*>(sem);
    if (!is_unsigned) continue;
    for (const auto& v : opt.value) {
      const auto first = v.find_first_not_of(" \t");
      if (first != std::string::npos && v[first] == '-')
        throw InputError(opt.string_key + " = " + v + " is out of range: it must be a non-negative integer");
    }
  }
}
}  // namespace

Options Options::parse(const po::options_description& schema, const std::string& deck_text,
                       const std::vector<std::string>& overrides, const std::string& deck_name) {
  Options o;
  o.deck_text_ = deck_text;
  try {
    // Command line first: the first stored value wins, so overrides beat the deck.
    std::vector<std::string> args;
    for (const auto& a : overrides) {
      if (a.rfind("--", 0) != 0) throw InputError("unexpected argument '" + a + "' (overrides look like --section.key=value)");
      args.push_back(a);
    }
    const auto cl = po::command_line_parser(args)
                        .options(schema)
                        .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
                        .run();
    reject_negative_unsigned(schema, cl);
    po::store(cl, o.vm_);
    std::istringstream in(deck_text);
    const auto cf = po::parse_config_file(in, schema, /*allow_unregistered=*/false);
    reject_negative_unsigned(schema, cf);
    po::store(cf, o.vm_);
    po::notify(o.vm_);
  } catch (const po::error& e) {
    throw InputError(deck_name + ": " + boost_message(e));
  }
  return o;
}

std::vector<double> Options::numbers(const std::string& key) const {
  std::vector<double> out;
  for (const auto& item : get<std::vector<std::string>>(key)) {
    std::string s = item;
    std::replace(s.begin(), s.end(), ',', ' ');
    std::istringstream in(s);
    std::string tok;
    while (in >> tok) {
      std::size_t pos = 0;
      double v = 0;
      try {
        v = std::stod(tok, &pos);
      } catch (const std::exception&) {
        pos = 0;
      }
      if (pos != tok.size()) throw InputError(key + ": '" + tok + "' is not a number");
      out.push_back(v);
    }
  }
  return out;
}

bool Options::given(const std::string& key) const {
  auto it = vm_.find(key);
  return it != vm_.end() && !it->second.defaulted();
}

std::string Options::resolved_text() const {
  std::map<std::string, std::string> lines;
  for (const auto& [k, v] : vm_) {
    const auto& a = v.value();
    std::string s;
    if (auto p = boost::any_cast<std::string>(&a)) s = *p;
    else if (auto p = boost::any_cast<int>(&a)) s = std::to_string(*p);
    else if (auto p = boost::any_cast<long>(&a)) s = std::to_string(*p);
    else if (auto p = boost::any_cast<unsigned long>(&a)) s = std::to_string(*p);
    else if (auto p = boost::any_cast<double>(&a)) s = to_text(*p);
    else if (auto p = boost::any_cast<bool>(&a)) s = *p ? "true" : "false";
    else if (auto p = boost::any_cast<std::vector<std::string>>(&a)) {
      for (const auto& e : *p) s += (s.empty() ? "" : ", ") + e;
    }
    lines[k] = s;
  }
  std::string out;
  for (const auto& [k, s] : lines) out += k + " = " + s + "\n";
  return out;
}

std::string read_deck(const Comm& comm, const std::string& path) {
  std::string text;
  int ok = 1;
  if (comm.root()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) ok = 0;
    else text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, comm.raw());
  if (!ok) throw InputError("cannot read deck file '" + path + "'");
  comm.broadcast(text);
  return text;
}

}  // namespace boltzflow::config
