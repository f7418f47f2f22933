// 513-entry int16 interpolation tables (TFLite's LUTPopulate<int16_t> and
// LUTLookup for int16): used by the int16 SOFTMAX's exp and 1/(1+x).
#pragma once

#include <cstdint>

namespace pyrt {

constexpr int kLutS16Size = 513;

// lut[i] for i < 512 samples f at input_min + i * step (step = (input_max -
// input_min) / 512, input_* = input_scale * (int16 bound - input_zero_point)),
// scaled by 65536 / (output_max - output_min) and rounded, minus half the
// rounding error of linear interpolation at the midpoint; lut[512] = f(input_max).
// All in double, values clamped to int16. f is evaluated in double.
void PopulateLutS16(double input_scale, int32_t input_zero_point, double output_scale,
                    int32_t output_zero_point, double (*f)(double), int16_t* lut);

// Linear interpolation in a 513-entry table: base lut[256 + (v >> 7)] plus
// the slope times the low 7 bits, rounded half up; the sum wraps to int16.
inline int16_t LookupLutS16(int16_t v, const int16_t* lut) {
  const int index = 256 + (v >> 7);
  const int32_t offset = v & 0x7f;
  const int32_t slope = int32_t{lut[index + 1]} - lut[index];
  const int32_t delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(lut[index] + delta);
}

}  // namespace pyrt
