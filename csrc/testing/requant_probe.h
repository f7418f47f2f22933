// Test entries: the x86 requantization forms on raw int32 sums, so their
// results can be compared with the reference before any narrowing to int8
// (x86-64 only; call each only when the CPU has its path).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

// One 16-channel gemmlowp block (bias 0) and its epilogue view (ep's arrays
// point into values; its facts tell which forms apply). Built in a portable
// translation unit: the probes are compiled for their paths' instructions.
struct RequantProbeBlock {
  std::vector<int32_t> values;
  Qs8GemmEpilogue ep;
};
RequantProbeBlock MakeRequantProbeBlock(const int32_t* multiplier, const int32_t* shift,
                                        int32_t zero_point);

// The facts allow the merged single-shift form (GemmlowpRequant16Merged).
bool MergedFormApplies(const Qs8GemmEpilogue& ep);

// out[i] = MultiplyByQuantizedMultiplier(x[i], multiplier[i % 16],
// shift[i % 16]) + zero_point (int32, wrapping) for n (a multiple of 16)
// values, by the path's general form or (merged) its single-shift form;
// false when merged does not apply to these channels (AVX2: always, it has
// no merged form).
bool RequantAvx512Probe(bool merged, const int32_t* x, int n, const int32_t* multiplier,
                        const int32_t* shift, int32_t zero_point, int32_t* out);
bool RequantAvx2Probe(bool merged, const int32_t* x, int n, const int32_t* multiplier,
                      const int32_t* shift, int32_t zero_point, int32_t* out);

}  // namespace pyrt
