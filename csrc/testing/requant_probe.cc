// The portable part of the requantization probes (requant_probe.h).
#include "testing/requant_probe.h"

#include "kernels/packed_requant.h"

namespace pyrt {

RequantProbeBlock MakeRequantProbeBlock(const int32_t* multiplier, const int32_t* shift,
                                        int32_t zero_point) {
  RequantProbeBlock block;
  block.values.resize(GemmlowpRequantBytes(16) / 4);
  Qs8GemmEpilogue scalars = EpilogueScalars(zero_point, -128, 127);
  for (int j = 0; j < 16; ++j)
    WriteGemmlowpRequant(block.values.data(), 16, j, 0, multiplier[j], shift[j], scalars);
  block.ep = RequantView(scalars, reinterpret_cast<const int8_t*>(block.values.data()), 16);
  return block;
}

bool MergedFormApplies(const Qs8GemmEpilogue& ep) {
  return !ep.any_left_shift && !ep.any_int32_min_multiplier && ep.right_shifts_1_to_23;
}

}  // namespace pyrt
