// QUANTIZE float32 -> int8 / int16 (AffineQuantize of kernels/reference/quantize.h)
// on the interpreter's ISA path: the family's table holds a SIMD loop where
// one exists. Every path gives identical bytes, NaN and out-of-range inputs
// included.
#pragma once

#include <cstdint>

#include "kernels/isa.h"

namespace pyrt {

using AffineQuantizeS8Fn = void (*)(const float* input, int64_t n, float scale,
                                    int32_t zero_point, int8_t* output);

using AffineQuantizeS16Fn = void (*)(const float* input, int64_t n, float scale,
                                     int32_t zero_point, int16_t* output);

// The SIMD loop `isa` can run, or nullptr (use the reference AffineQuantize).
AffineQuantizeS8Fn AffineQuantizeS8For(Isa isa);
AffineQuantizeS16Fn AffineQuantizeS16For(Isa isa);

}  // namespace pyrt
