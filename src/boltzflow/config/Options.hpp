#pragma once
// Input decks: Boost.Program_options INI files with [sections] (key "section.key"),
// overridden by --section.key=value on the command line. Every key is declared with a
// default, a one-line help text and (where it makes sense) a range or a list of choices;
// violations become InputError with a one-line message naming the key.
#include <boost/program_options.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "boltzflow/core/Error.hpp"

namespace boltzflow {
class Comm;
namespace config {

namespace po = boost::program_options;

template <class T>
std::string to_text(const T& v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// key = def, help; value must lie in [lo, hi].
template <class T>
void add(po::options_description& d, const std::string& key, T def, const std::string& help,
         T lo = std::numeric_limits<T>::lowest(), T hi = std::numeric_limits<T>::max()) {
  d.add_options()(key.c_str(), po::value<T>()->default_value(def, to_text(def))->notifier([key, lo, hi](const T& v) {
    // NaN first, by isnan: an ordered comparison with NaN raises FE_INVALID (a trap where enabled).
    bool bad = false;
    if constexpr (std::is_floating_point_v<T>) bad = std::isnan(v);
    if (bad || !(v >= lo && v <= hi))
      throw InputError(key + " = " + to_text(v) + " is out of range [" + to_text(lo) + ", " + to_text(hi) + "]");
  }),
                  help.c_str());
}

// String keys (file names, free text).
void add_string(po::options_description& d, const std::string& key, const std::string& def, const std::string& help);
// Flags: true/false/yes/no/on/off/1/0.
void add_bool(po::options_description& d, const std::string& key, bool def, const std::string& help);
// Enumerations: the value must be one of `allowed`; the message lists them.
void add_choice(po::options_description& d, const std::string& key, const std::string& def,
                const std::vector<std::string>& allowed, const std::string& help);
// Repeatable key (e.g. "hidden = 64" twice) or a comma/space separated list: "1, 2.5, 3".
void add_list(po::options_description& d, const std::string& key, const std::string& def, const std::string& help);

// Resolved options: the same on every rank.
class Options {
 public:
  Options() = default;
  // Parse a deck text plus command-line overrides "--section.key=value" (anything else is an
  // InputError: a stray word is more likely a typo than a value).
  // Throws InputError on unknown keys, bad values, failed validations.
  static Options parse(const po::options_description& schema, const std::string& deck_text,
                       const std::vector<std::string>& overrides, const std::string& deck_name = "deck");

  template <class T>
  T get(const std::string& key) const {
    auto it = vm_.find(key);
    if (it == vm_.end()) throw std::logic_error("option '" + key + "' is not declared");
    return it->second.as<T>();
  }
  std::string str(const std::string& key) const { return get<std::string>(key); }
  // A list key as numbers; throws InputError naming the key on a non-number.
  std::vector<double> numbers(const std::string& key) const;
  // True if the user set the key (deck or command line) rather than the default.
  bool given(const std::string& key) const;

  const std::string& deck_text() const { return deck_text_; }
  // "key = value" lines of every option, sorted: echoed on start-up and stored in output.
  std::string resolved_text() const;
  const po::variables_map& map() const { return vm_; }

 private:
  po::variables_map vm_;
  std::string deck_text_;
};

// Rank 0 reads the file (a missing or unreadable file is an InputError naming it) and
// broadcasts the text; every rank then parses the same bytes and decides identically.
std::string read_deck(const Comm& comm, const std::string& path);

}  // namespace config
}  // namespace boltzflow
