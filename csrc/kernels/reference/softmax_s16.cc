#include "kernels/reference/softmax_s16.h"

#include <algorithm>

#include "quant/fixed_point.h"
#include "quant/lut_s16.h"

namespace pyrt {
namespace {

inline int16_t Saturate16(int32_t v) {
  return static_cast<int16_t>(std::min<int32_t>(std::max<int32_t>(v, -32768), 32767));
}

inline int CountLeadingZeros32(uint32_t v) {
  return v == 0 ? 32 : __builtin_clz(v);
}

}  // namespace

void SoftmaxS16(const SoftmaxS16Params& p, const int16_t* in, int16_t* out, int64_t rows,
                int depth) {
  for (int64_t r = 0; r < rows; ++r) {
    const int16_t* x = in + r * depth;
    int16_t* y = out + r * depth;
    const int16_t max_v = *std::max_element(x, x + depth);
    // exp(x - max) in Q0.15, cached in the output row; [-65535, 0] maps to [-10, 0].
    int32_t sum = 0;
    for (int c = 0; c < depth; ++c) {
      const int32_t scaled =
          MultiplyByQuantizedMultiplier(x[c] - max_v, p.input_multiplier, p.input_shift);
      y[c] = LookupLutS16(Saturate16(scaled + 32767), p.exp_lut);
      sum += y[c];
    }
    // 1 / sum through the 1/(1+x) table after normalizing sum to [1, 2).
    const int headroom_plus_one = CountLeadingZeros32(static_cast<uint32_t>(sum));
    const int32_t shifted_sum = static_cast<int32_t>(
        ((static_cast<int64_t>(sum) << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    const int32_t sym_shifted_sum = shifted_sum - ((1 << 15) + (1 << 16));
    const int16_t reciprocal = LookupLutS16(Saturate16(sym_shifted_sum), p.one_over_one_plus_x_lut);
    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = int64_t{1} << (right_shift - 1);
    for (int c = 0; c < depth; ++c) {
      const int32_t v = static_cast<int32_t>((int64_t{y[c]} * reciprocal + round) >> right_shift);
      y[c] = static_cast<int16_t>(std::min(std::max(v, 0), 32767));
    }
  }
}

}  // namespace pyrt
