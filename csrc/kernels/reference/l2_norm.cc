#include "kernels/reference/l2_norm.h"

#include <algorithm>
#include <cmath>

#include "quant/fixed_point.h"
#include "quant/gemmlowp_math.h"

namespace pyrt {

void L2NormalizationS8(int32_t input_zero_point, int64_t rows, int depth, const int8_t* in,
                       int8_t* out) {
  constexpr int kOutputScaleBits = 7;  // output scale 1/128
  for (int64_t r = 0; r < rows; ++r, in += depth, out += depth) {
    int32_t sum_squares = 0;
    for (int c = 0; c < depth; ++c) {
      const int32_t x = in[c] - input_zero_point;
      sum_squares = WrappingAdd(sum_squares, x * x);
    }
    int32_t multiplier;
    int shift;
    InvSqrtQuantizedMultiplierExp(sum_squares, -1, &multiplier, &shift);
    for (int c = 0; c < depth; ++c) {
      const int32_t v = MultiplyByQuantizedMultiplier(in[c] - input_zero_point, multiplier,
                                                      shift + kOutputScaleBits);
      out[c] = static_cast<int8_t>(std::min(127, std::max(-128, v)));
    }
  }
}

void L2NormalizationF32(int64_t rows, int depth, const float* in, float* out) {
  constexpr float kEpsilon = 1e-6f;
  for (int64_t r = 0; r < rows; ++r, in += depth, out += depth) {
    float sum_squares = 0.f;
    for (int c = 0; c < depth; ++c) sum_squares += in[c] * in[c];
    const float norm = std::max(std::sqrt(sum_squares), kEpsilon);
    for (int c = 0; c < depth; ++c) out[c] = in[c] / norm;
  }
}

}  // namespace pyrt
