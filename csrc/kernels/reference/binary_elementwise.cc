#include "kernels/reference/binary_elementwise.h"

#include <algorithm>

#include "quant/fixed_point.h"

namespace pyrt {

int8_t PreluS8(const PreluParams& p, int8_t x, int8_t alpha) {
  const int32_t in = p.input_offset + x;
  const int32_t scaled =
      in >= 0 ? MultiplyByQuantizedMultiplier(in, p.multiplier_1, p.shift_1)
              : MultiplyByQuantizedMultiplier(in * (p.alpha_offset + alpha), p.multiplier_2, p.shift_2);
  return static_cast<int8_t>(std::min(127, std::max(-128, scaled + p.output_offset)));
}

int8_t SquaredDifferenceS8(const SquaredDifferenceParams& p, int8_t x, int8_t y) {
  const int32_t a = (p.input1_offset + x) * (1 << p.left_shift);
  const int32_t b = (p.input2_offset + y) * (1 << p.left_shift);
  const int32_t sa = MultiplyByQuantizedMultiplierSmallerThanOneExp(a, p.input1_multiplier, p.input1_shift);
  const int32_t sb = MultiplyByQuantizedMultiplierSmallerThanOneExp(b, p.input2_multiplier, p.input2_shift);
  const int32_t diff = sa - sb;  // |diff| <= 255 * 2^7: the square fits
  const int32_t out = MultiplyByQuantizedMultiplierSmallerThanOneExp(diff * diff, p.output_multiplier,
                                                                      p.output_shift) +
                      p.output_offset;
  return static_cast<int8_t>(std::min(127, std::max(-128, out)));
}

}  // namespace pyrt
