#pragma once
// The boltzflow command line: `boltzflow DECK [--section.key=value ...]`, `--help`, `--version`.
// Returns the process exit status (0 ok, 2 bad input, 3 numerical failure).
namespace boltzflow {
int run_main(int argc, char* argv[]);
}
