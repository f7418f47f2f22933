// L2_NORMALIZATION over the last axis (rows of `depth` values).
#pragma once

#include <cstdint>

namespace pyrt {

// int8 (reference_integer_ops::L2Normalization): the row's sum of squared
// offsets (int32, wrapping) gives a fixed-point 1/sqrt multiplier; each
// offset is scaled by it into the output scale 1/128 (zero point 0) and
// clamped. A zero row maps to 0.
void L2NormalizationS8(int32_t input_zero_point, int64_t rows, int depth, const int8_t* in,
                       int8_t* out);

// float32: x / max(sqrt(sum x^2), 1e-6).
void L2NormalizationF32(int64_t rows, int depth, const float* in, float* out);

}  // namespace pyrt
