// IEEE binary16 -> binary32 for arrays (constant float16 weights are
// converted at load: 3.5 M values for MobileNetV2).
#pragma once

#include <cstdint>

namespace pyrt {

// out[i] = HalfToFloat(in[i]) (kernels/reference/float16.h), bit for bit,
// 8 values per step with SSE2 where the target has it.
void HalfToFloatRow(const uint16_t* in, int64_t n, float* out);

}  // namespace pyrt
