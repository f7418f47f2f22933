#include "kernels/reference/binary_elementwise.h"

#include <algorithm>

#include "quant/fixed_point.h"
#include "quant/gemmlowp_math.h"

namespace pyrt {

int8_t PreluS8(const PreluParams& p, int8_t x, int8_t alpha) {
  const int32_t in = p.input_offset + x;
  const int32_t scaled =
      in >= 0 ? MultiplyByQuantizedMultiplier(in, p.multiplier_1, p.shift_1)
              : MultiplyByQuantizedMultiplier(in * (p.alpha_offset + alpha), p.multiplier_2, p.shift_2);
  return static_cast<int8_t>(std::min(127, std::max(-128, WrappingAdd(scaled, p.output_offset))));
}

int32_t SquaredDifferenceScaledInput(int32_t offset, int left_shift, int32_t multiplier, int shift,
                                     int8_t x) {
  return MultiplyByQuantizedMultiplierSmallerThanOneExp((offset + x) * (1 << left_shift), multiplier,
                                                        shift);
}

int8_t SquaredDifferenceS8(const SquaredDifferenceParams& p, int8_t x, int8_t y) {
  const int32_t sa = SquaredDifferenceScaledInput(p.input1_offset, p.left_shift, p.input1_multiplier,
                                                  p.input1_shift, x);
  const int32_t sb = SquaredDifferenceScaledInput(p.input2_offset, p.left_shift, p.input2_multiplier,
                                                  p.input2_shift, y);
  const int32_t diff = sa - sb;  // |diff| <= 255 * 2^7: the square fits
  const int32_t out = WrappingAdd(
      MultiplyByQuantizedMultiplierSmallerThanOneExp(diff * diff, p.output_multiplier, p.output_shift),
      p.output_offset);
  return static_cast<int8_t>(std::min(127, std::max(-128, out)));
}

namespace {

// gemmlowp RoundingDivideByPOT for exponent >= 0 as the x86-64 build runs it
// past 31: the mask (1ll << e) - 1 truncated to int32 is all ones and the
// shift counts are taken mod 64 (64-bit shift) and mod 32 (32-bit shift).
int32_t RoundingDivideByPOTLikeX86(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((uint64_t{1} << (exponent & 63)) - 1);
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return WrappingAdd(x >> (exponent & 31), (x & mask) > threshold ? 1 : 0);
}

// Redundant sign bits of x (TFLite CountLeadingSignBits = GCC's clrsb);
// 31 for 0.
int CountLeadingSignBits(int32_t x) { return x == 0 ? 31 : __builtin_clrsb(x); }

}  // namespace

int8_t DivS8(const DivParams& p, int8_t x, int8_t y) {
  int32_t a = p.input1_offset + x;
  int32_t b = p.input2_offset + y;
  if (b < 0) {
    a = -a;
    b = -b;
  }
  if (b == 0) b = 1;  // the reference fails the invoke; any defined value will do
  int recip_shift;
  const int32_t b_inv = Reciprocal(b, 31, &recip_shift);
  const int headroom = CountLeadingSignBits(a);
  const int32_t unscaled = MultiplyByQuantizedMultiplierGreaterThanOne(a, b_inv, headroom);
  const int right_shift = recip_shift + headroom - p.output_shift;  // >= 0 given the Prepare check
  const int32_t result = WrappingAdd(
      p.output_offset, RoundingDivideByPOTLikeX86(
                           SaturatingRoundingDoublingHighMul(unscaled, p.output_multiplier), right_shift));
  return static_cast<int8_t>(std::min(p.act_max, std::max(p.act_min, result)));
}

}  // namespace pyrt
