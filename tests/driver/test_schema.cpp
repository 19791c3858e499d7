// The full deck schema (every section of every module): each key has a default and a one-line
// help text, and the --help text lists each key with its default.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/driver/Schema.hpp"
#include "boltzflow/samplers/Registry.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

TEST_CASE("every deck key has a default and a one-line help, and --help lists it", "[driver][schema]") {
  const auto schema = full_schema();
  std::ostringstream help;
  help << schema;
  const std::string text = help.str();
  std::set<std::string> sections;
  for (const auto& o : schema.options()) {
    const std::string key = o->long_name();
    INFO(key);
    const auto dot = key.find('.');
    REQUIRE(dot != std::string::npos);  // section.key
    sections.insert(key.substr(0, dot));
    const std::string desc = o->description();
    CHECK_FALSE(desc.empty());
    CHECK(desc.find('\n') == std::string::npos);
    boost::any def;
    CHECK(o->semantic()->apply_default(def));
    CHECK(text.find("--" + key + " ") != std::string::npos);
  }
  for (const char* s : {"run", "output", "metrics", "target"}) CHECK(sections.count(s) == 1);
  // Every registered method's section is in the schema (the registry and the schema agree).
  CHECK(method_names().size() >= 2);
}

TEST_CASE("the schema parses a deck and applies command-line overrides", "[driver][schema]") {
  const auto schema = full_schema();
  const auto o = config::Options::parse(schema, "[run]\nseed = 4\n[target]\nname = manywell\n",
                                        {"--run.seed=9", "--target.dim=8"});
  CHECK(o.get<std::uint64_t>("run.seed") == 9);
  CHECK(o.get<int>("target.dim") == 8);
  CHECK(o.str("target.name") == "manywell");
  CHECK(o.given("run.seed"));
  CHECK_FALSE(o.given("output.prefix"));
  CHECK_THROWS_WITH(config::Options::parse(schema, "", {"--run.sed=3"}), Catch::Contains("run.sed"));
  CHECK_THROWS_WITH(config::Options::parse(schema, "", {"--target.dim", "8"}), Catch::Contains("'8'"));
  CHECK_THROWS_WITH(config::Options::parse(schema, "[run]\nseed = -3\n", {}), Catch::Contains("run.seed"));
  CHECK_THROWS_WITH(config::Options::parse(schema, "", {"--run.seed=-1"}), Catch::Contains("run.seed"));
  CHECK_THROWS_WITH(config::Options::parse(schema, "", {"--target.seed= -2"}), Catch::Contains("target.seed"));
}

TEST_CASE("the deck is read on rank 0 and broadcast; a missing deck fails on every rank", "[driver][schema][mpi]") {
  Comm comm;
  // Only rank 0 writes (and can see) the file: the others must get its text through the broadcast.
  const std::string path = "/tmp/boltzflow_test_deck_" + std::to_string(comm.root() ? ::getpid() : 0) + ".ini";
  std::string shared = path;
  comm.broadcast(shared);
  if (comm.root()) std::ofstream(shared) << "[run]\nseed = 77\n";
  comm.barrier();
  const std::string text = config::read_deck(comm, shared);
  CHECK(text == "[run]\nseed = 77\n");
  CHECK(config::Options::parse(full_schema(), text, {}).get<std::uint64_t>("run.seed") == 77);
  comm.barrier();
  if (comm.root()) std::remove(shared.c_str());
  int threw = 0;
  try {
    config::read_deck(comm, "/nonexistent/deck.ini");
  } catch (const InputError& e) {
    threw = std::string(e.what()).find("/nonexistent/deck.ini") != std::string::npos;
  }
  CHECK(comm.sum(std::int64_t(threw)) == comm.size());
}

TEST_CASE("every shipped deck in inputs/ parses against the schema", "[driver][schema][decks]") {
  const auto schema = full_schema();
  int decks = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(BOLTZFLOW_SOURCE_DIR) + "/inputs")) {
    if (e.path().extension() != ".ini") continue;
    INFO(e.path().string());
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    CHECK_NOTHROW(config::Options::parse(schema, text.str(), {}));
    ++decks;
  }
  CHECK(decks >= 8);
}
