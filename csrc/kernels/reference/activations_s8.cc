#include "kernels/reference/activations_s8.h"

#include <algorithm>
#include <cmath>

#include "quant/fixed_point.h"
#include "quant/float_cast.h"

namespace pyrt {

void BuildLutS8(float input_scale, int32_t input_zero_point, float output_scale,
                int32_t output_zero_point, float (*f)(float), int8_t lut[256]) {
  const float inverse_scale = 1.0f / output_scale;
  for (int32_t v = -128; v <= 127; ++v) {
    const float x = input_scale * static_cast<float>(v - input_zero_point);
    const float rescaled = std::round(f(x) * inverse_scale);
    // The reference adds the zero point in float, then truncates.
    const int32_t q = FloatToInt32LikeX86(rescaled + static_cast<float>(output_zero_point));
    lut[static_cast<uint8_t>(v)] = static_cast<int8_t>(std::min(std::max(q, -128), 127));
  }
}

void LookupTableS8(const int8_t lut[256], int64_t n, const int8_t* input, int8_t* output) {
  for (int64_t i = 0; i < n; ++i) output[i] = lut[static_cast<uint8_t>(input[i])];
}

namespace {

// One element of TFLite's reference HardSwish<int8>, all in int16.
inline int8_t HardSwishOne(const HardSwishParams& p, int8_t x) {
  const int16_t input_value = static_cast<int16_t>(x - p.input_zero_point);
  const int16_t hires = static_cast<int16_t>(input_value * (1 << 7));  // |.| <= 255 * 128
  const int16_t preshift_output = SaturatingRoundingDoublingHighMul16(hires, p.output_multiplier);
  // "Relu-ish" value: x rescaled so that 3.0 maps to 32768, saturated, then
  // mapped from [-1, 1] to [0, 1].
  int16_t reluish = hires;
  if (p.reluish_exponent > 0) reluish = SaturatingLeftShift16(reluish, p.reluish_exponent - 1);
  reluish = SaturatingRoundingDoublingHighMul16(reluish, p.reluish_multiplier);
  if (p.reluish_exponent > 0) reluish = SaturatingLeftShift16(reluish, 1);
  if (p.reluish_exponent < 0) reluish = RoundingDivideByPOT16(reluish, -p.reluish_exponent);
  reluish = static_cast<int16_t>((reluish + (1 << 15)) >> 1);
  const int16_t preshift = SaturatingDoublingHighMul16(reluish, preshift_output);
  // The reference adds the zero point in int16 (wrapping) before clamping.
  const int16_t out = static_cast<int16_t>(
      RoundingDivideByPOT16(preshift, -p.output_exponent) + p.output_zero_point);
  return static_cast<int8_t>(std::min<int16_t>(std::max<int16_t>(out, -128), 127));
}

}  // namespace

void HardSwishS8(const HardSwishParams& p, int64_t n, const int8_t* input, int8_t* output) {
  for (int64_t i = 0; i < n; ++i) output[i] = HardSwishOne(p, input[i]);
}

}  // namespace pyrt
