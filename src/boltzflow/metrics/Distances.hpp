#pragma once
// All sample discrepancies between model samples and exact target samples (metrics.md §4), for
// callers that report them together (driver/Report.cpp); one concept per header below.
#include "boltzflow/metrics/EnergyDistance.hpp"
#include "boltzflow/metrics/Mmd.hpp"
#include "boltzflow/metrics/SlicedWasserstein.hpp"
