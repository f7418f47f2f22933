// SOFTMAX int16 -> int16 (zero points 0, output scale 1/32768): TFLite's
// reference SoftmaxInt16, built on two interpolation tables (quant/lut_s16.h).
#pragma once

#include <cstdint>

namespace pyrt {

struct SoftmaxS16Params {
  int32_t input_multiplier = 0;  // QuantizeMultiplier(s_in * beta / (10 / 65535))
  int input_shift = 0;
  const int16_t* exp_lut = nullptr;            // exp on [-10, 0]
  const int16_t* one_over_one_plus_x_lut = nullptr;  // 1 / (1 + x) on [0, 1]
};

// Rows of `depth` values; out may not alias in.
void SoftmaxS16(const SoftmaxS16Params& p, const int16_t* in, int16_t* out, int64_t rows,
                int depth);

}  // namespace pyrt
