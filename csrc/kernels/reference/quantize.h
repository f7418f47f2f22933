// QUANTIZE / DEQUANTIZE element loops, bit-exact with TFLite's reference
// AffineQuantize, Requantize and Dequantize.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "quant/fixed_point.h"
#include "quant/float_cast.h"

namespace pyrt {

// q = clamp(int32(roundf(x / scale)) + zero_point): float division, rounding
// half away from zero. NaN, +-inf and |x / scale| >= 2^31 convert to
// INT32_MIN as on x86-64, and the zero point is added with int32 wrap-around,
// so such inputs give the type minimum for zero_point >= 0 and the type
// maximum for zero_point < 0 (INT32_MIN + zp wraps to a large positive).
template <typename OutT>
void AffineQuantize(const float* input, int64_t n, float scale, int32_t zero_point,
                    OutT* output) {
  constexpr int32_t kMin = std::numeric_limits<OutT>::min();
  constexpr int32_t kMax = std::numeric_limits<OutT>::max();
  for (int64_t i = 0; i < n; ++i) {
    const int32_t rounded = FloatToInt32LikeX86(std::round(input[i] / scale));
    const int32_t q = static_cast<int32_t>(static_cast<uint32_t>(rounded) +
                                           static_cast<uint32_t>(zero_point));
    output[i] = static_cast<OutT>(std::min(std::max(q, kMin), kMax));
  }
}

// out = clamp(MultiplyByQuantizedMultiplier(x - zp_in, m, shift) + zp_out).
// (The reference's x ^ 0x80 fast path for int8 <-> uint8 with equal scales
// gives the same numbers.)
template <typename InT, typename OutT>
void Requantize(const InT* input, int64_t n, int32_t multiplier, int shift,
                int32_t input_zero_point, int32_t output_zero_point, OutT* output) {
  constexpr int32_t kMin = std::numeric_limits<OutT>::min();
  constexpr int32_t kMax = std::numeric_limits<OutT>::max();
  for (int64_t i = 0; i < n; ++i) {
    // Wrapping subtraction, as the reference's int32 math on x86-64 (int32 inputs).
    const int32_t x = static_cast<int32_t>(static_cast<uint32_t>(static_cast<int32_t>(input[i])) -
                                           static_cast<uint32_t>(input_zero_point));
    const int32_t scaled = MultiplyByQuantizedMultiplier(x, multiplier, shift);
    const int32_t q = static_cast<int32_t>(static_cast<uint32_t>(scaled) +
                                           static_cast<uint32_t>(output_zero_point));
    output[i] = static_cast<OutT>(std::min(std::max(q, kMin), kMax));
  }
}

// y = float(double(scale) * (x - zp)); the product is exact in double, so
// this is one rounding of the true value.
template <typename InT>
void DequantizeToFloat(const InT* input, int64_t n, float scale, int32_t zero_point,
                       float* output) {
  const double s = scale;
  for (int64_t i = 0; i < n; ++i) {
    output[i] = static_cast<float>(s * (static_cast<int32_t>(input[i]) - zero_point));
  }
}

}  // namespace pyrt
