// Prepare-time conversion of real scales into integer multipliers and shifts
// (TFLite's conventions).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/dtype.h"

namespace pyrt {

struct QuantizedMultiplier {
  int32_t multiplier = 0;  // Q31, in [2^30, 2^31) or 0
  int shift = 0;           // power of two applied after the multiply
};

// real = multiplier * 2^(shift - 31). Multipliers below 2^-31 flush to zero.
// Throws ModelError (naming `what`) if the value is negative, not finite, or
// too large to represent (>= 2^31).
QuantizedMultiplier QuantizeMultiplier(double real, const std::string& what);
// The same conversion without the error message: false where
// QuantizeMultiplier would throw (*q is then unspecified).
bool TryQuantizeMultiplier(double real, QuantizedMultiplier* q);

// Variants that require real < 1 (shift <= 0) and real > 1 (shift >= 0).
QuantizedMultiplier QuantizeMultiplierSmallerThanOneExp(double real, const std::string& what);
QuantizedMultiplier QuantizeMultiplierGreaterThanOne(double real, const std::string& what);

// Per-output-channel requantization for conv-like ops:
// QuantizeMultiplier(double(s_in) * double(s_w[c]) / double(s_out)).
// A single filter scale is broadcast to all channels.
std::vector<QuantizedMultiplier> PerChannelMultipliers(float input_scale,
                                                       const std::vector<float>& filter_scales,
                                                       float output_scale, int num_channels,
                                                       const std::string& what);

struct ActivationRange {
  int32_t min;
  int32_t max;
};

// TFLite's CheckedLog2: *log2 = round(log2(x)) computed in float as
// log(x) * (1 / log(2)); true when x is within float 1e-3 (in log2) of that
// power of two. Decides the power-of-two-scale paths of int16 kernels.
bool CheckedLog2(float x, int* log2);

// Integer range of a quantized dtype (int8, uint8, int16, int32).
ActivationRange DTypeRange(DType t);

}  // namespace pyrt
