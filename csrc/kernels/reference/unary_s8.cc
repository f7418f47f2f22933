#include "kernels/reference/unary_s8.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "quant/fixed_point.h"
#include "quant/gemmlowp_math.h"
#include "quant/float_cast.h"

// Sums of a requantized value and a zero point wrap like the reference's
// int32 adds on x86-64 (reachable only with extreme multipliers).
namespace pyrt {
namespace {

inline int8_t ClampS8(int32_t v) { return static_cast<int8_t>(std::min(std::max(v, -128), 127)); }

}  // namespace

int8_t ReluXS8(const ReluXParams& p, int8_t v) {
  int32_t out = WrappingAdd(p.output_zero_point,
                            MultiplyByQuantizedMultiplier(v - p.input_zero_point, p.multiplier, p.shift));
  out = std::max(p.act_min, out);
  return static_cast<int8_t>(std::min(p.act_max, out));
}

int8_t LeakyReluS8(const LeakyReluParams& p, int8_t v) {
  const int32_t x = v - p.input_zero_point;
  const int32_t scaled = x >= 0 ? MultiplyByQuantizedMultiplier(x, p.identity_multiplier, p.identity_shift)
                                : MultiplyByQuantizedMultiplier(x, p.alpha_multiplier, p.alpha_shift);
  return ClampS8(WrappingAdd(p.output_zero_point, scaled));
}

int8_t AbsS8(const AbsParams& p, int8_t v) {
  const int32_t x = std::abs(v - p.input_zero_point);
  if (!p.rescale) return ClampS8(x + p.output_zero_point);
  return ClampS8(WrappingAdd(MultiplyByQuantizedMultiplier(x, p.multiplier, p.shift), p.output_zero_point));
}

int8_t SqrtS8(const SqrtParams& p, int8_t v) {
  const float x = p.input_scale * static_cast<float>(v - p.input_zero_point);
  const int64_t q = int64_t{FloatToInt32LikeX86(std::sqrt(x) / p.output_scale)} + p.output_zero_point;
  return static_cast<int8_t>(std::min<int64_t>(std::max<int64_t>(q, -128), 127));
}

int8_t RsqrtS8(const RsqrtParams& p, int8_t v) {
  constexpr int kShift = 20;  // keeps 1/sqrt an integer before the rescale
  const int32_t x = v - p.input_zero_point;
  if (x <= 0) return 127;
  int32_t inv_sqrt_multiplier;
  int inv_sqrt_shift;
  InvSqrtQuantizedMultiplierExp(x, -1, &inv_sqrt_multiplier, &inv_sqrt_shift);
  const int32_t inv_sqrt =
      MultiplyByQuantizedMultiplier(1, inv_sqrt_multiplier, inv_sqrt_shift + kShift);
  return ClampS8(WrappingAdd(MultiplyByQuantizedMultiplier(inv_sqrt, p.multiplier, p.shift - kShift),
                            p.output_zero_point));
}

void BuildLutS8WithParam(float input_scale, int32_t input_zero_point, float output_scale,
                         int32_t output_zero_point, float (*f)(float, const void*),
                         const void* param, int8_t lut[256]) {
  const float inverse_scale = 1.0f / output_scale;
  for (int32_t v = -128; v <= 127; ++v) {
    const float x = input_scale * static_cast<float>(v - input_zero_point);
    const float rescaled = std::round(f(x, param) * inverse_scale);
    const int32_t q = FloatToInt32LikeX86(rescaled + static_cast<float>(output_zero_point));
    lut[static_cast<uint8_t>(v)] = ClampS8(q);
  }
}

}  // namespace pyrt
