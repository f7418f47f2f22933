// Elementwise int8 activations: 256-entry lookup tables (LOGISTIC) and
// TFLite's int16 fixed-point HARD_SWISH.
#pragma once

#include <cstdint>

namespace pyrt {

// TFLite LUTPopulate<int8_t> with float math: for every int8 v,
// lut[uint8(v)] = clamp(int32(roundf(f(s_in * (v - zp_in)) * (1 / s_out)) + zp_out)).
// `f` must be computed in float exactly as the reference does.
void BuildLutS8(float input_scale, int32_t input_zero_point, float output_scale,
                int32_t output_zero_point, float (*f)(float), int8_t lut[256]);

void LookupTableS8(const int8_t lut[256], int64_t n, const int8_t* input, int8_t* output);

struct HardSwishParams {
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int16_t output_multiplier = 0;  // Q15, s_in / 128 / s_out
  int output_exponent = 0;        // <= 0
  int16_t reluish_multiplier = 0;  // Q15, (s_in / 128) / (3 / 32768)
  int reluish_exponent = 0;        // in [-31, 31]
};

void HardSwishS8(const HardSwishParams& p, int64_t n, const int8_t* input, int8_t* output);

}  // namespace pyrt
