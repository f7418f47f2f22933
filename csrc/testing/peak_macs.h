// Peak int8 multiply-accumulate throughput of one core, for reporting what
// fraction of the hardware a model's run reaches (bench/peak_macs.py).
#pragma once

#include <string>
#include <vector>

#include "kernels/isa.h"

namespace pyrt {

struct PeakMacs {
  std::string instruction;  // e.g. "vpmaddwd ymm"
  double macs_per_second = 0;
};

// Times the dot-product instruction of `isa` (and, for AVX2, the inexact
// vpmaddubsw as a ceiling) in tight independent chains on the calling
// thread, for about `seconds` each. Throws UsageError for an unusable ISA.
std::vector<PeakMacs> MeasurePeakMacs(Isa isa, double seconds);

}  // namespace pyrt
