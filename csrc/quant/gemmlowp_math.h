// gemmlowp's fixed-point transcendental functions (fixedpoint/fixedpoint.h),
// int32 scalar versions, as TFLite's reference SOFTMAX uses them.
//
// Notation: a "Qm" value is an int32 raw r meaning r / 2^(31 - m), i.e. m
// integer bits and 31 - m fractional bits. Fixed-point multiply is
// SaturatingRoundingDoublingHighMul of the raws (Qa * Qb -> Q(a+b)); add and
// subtract are plain int32 adds on the raws (wrapping, as the reference's
// int32 arithmetic does on x86-64; all call sites here stay in range).
#pragma once

#include <cstdint>
#include <limits>

#include "quant/fixed_point.h"

namespace pyrt {

inline int32_t WrappingAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

inline int32_t WrappingSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}

// x * 2^exponent for 0 <= exponent < 31, saturating to the int32 range
// (gemmlowp SaturatingRoundingMultiplyByPOT with a positive exponent; its
// negative-exponent case is RoundingDivideByPOT). Note the saturation bound
// is symmetric: x < -(2^(31-e) - 1) maps to INT32_MIN.
inline int32_t SaturatingMultiplyByPOT(int32_t x, int exponent) {
  if (exponent == 0) return x;
  const int32_t threshold = static_cast<int32_t>((int64_t{1} << (31 - exponent)) - 1);
  if (x > threshold) return std::numeric_limits<int32_t>::max();
  if (x < -threshold) return std::numeric_limits<int32_t>::min();
  return ShiftLeftWrapping(x, exponent);
}

// Changes the integer bits of a fixed-point raw from src_bits to dst_bits
// (gemmlowp Rescale<dst>): rounding right shift when gaining integer bits,
// saturating left shift when losing them.
inline int32_t RescaleFixedPoint(int32_t raw, int src_bits, int dst_bits) {
  const int exponent = src_bits - dst_bits;
  return exponent < 0 ? RoundingDivideByPOT(raw, -exponent)
                      : SaturatingMultiplyByPOT(raw, exponent);
}

// round((a + b) / 2), halves away from zero, exact in int64 (VRHADD-like).
inline int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = int64_t{a} + int64_t{b};
  return static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// exp(a) for a in [-1/4, 0): Q0 in, Q0 out. Fourth-order Taylor expansion
// around -1/8.
inline int32_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int32_t a) {
  constexpr int32_t kExpMinusOneEighth = 1895147668;  // exp(-1/8) in Q0
  constexpr int32_t kOneThird = 715827883;            // 1/3 in Q0
  const int32_t x = WrappingAdd(a, int32_t{1} << 28);  // a + 1/8
  const int32_t x2 = SaturatingRoundingDoublingHighMul(x, x);
  const int32_t x3 = SaturatingRoundingDoublingHighMul(x2, x);
  const int32_t x4 = SaturatingRoundingDoublingHighMul(x2, x2);
  const int32_t x4_over_4 = RoundingDivideByPOT(x4, 2);
  const int32_t poly = RoundingDivideByPOT(
      WrappingAdd(SaturatingRoundingDoublingHighMul(WrappingAdd(x4_over_4, x3), kOneThird), x2),
      1);  // x^4/24 + x^3/6 + x^2/2
  return WrappingAdd(kExpMinusOneEighth,
                     SaturatingRoundingDoublingHighMul(kExpMinusOneEighth, WrappingAdd(x, poly)));
}

// exp(a) for a <= 0: `a` is Q(kIntegerBits) (kIntegerBits in 1..5, no
// exp(-32) clamp is needed there), result Q0 (exp(0) = INT32_MAX). Splits
// a into a multiple of 1/4 (handled by a barrel of exp(-2^k) constants) and a
// remainder in [-1/4, 0).
template <int kIntegerBits>
int32_t ExpOnNegativeValues(int32_t a) {
  static_assert(kIntegerBits >= 1 && kIntegerBits <= 5, "no exp(-32) clamp implemented");
  constexpr int kFractionalBits = 31 - kIntegerBits;
  constexpr int32_t kOneQuarter = int32_t{1} << (kFractionalBits - 2);
  const int32_t a_mod_quarter_minus_one_quarter = WrappingSub(a & (kOneQuarter - 1), kOneQuarter);
  int32_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      RescaleFixedPoint(a_mod_quarter_minus_one_quarter, kIntegerBits, 0));
  const int32_t remainder = WrappingSub(a_mod_quarter_minus_one_quarter, a);
  // exp(-2^k) in Q0 for k = -2..4.
  constexpr int32_t kMultipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                       39332535,   720401,     242};
  for (int k = -2; k <= 4; ++k) {
    if (kIntegerBits > k && (remainder & (int32_t{1} << (kFractionalBits + k)))) {
      result = SaturatingRoundingDoublingHighMul(result, kMultipliers[k + 2]);
    }
  }
  return a == 0 ? std::numeric_limits<int32_t>::max() : result;
}

// 1 / (1 + a) for a in [0, 1): Q0 in, Q0 out. Three Newton-Raphson steps in
// Q2 on the half denominator (1 + a) / 2, started at 48/17 - 32/17 * d.
inline int32_t OneOverOnePlusXForXIn01(int32_t a) {
  constexpr int32_t kQ2One = int32_t{1} << 29;
  constexpr int32_t k48Over17 = 1515870810;      // Q2
  constexpr int32_t kNeg32Over17 = -1010580540;  // Q2
  const int32_t half_denominator = RoundingHalfSum(a, std::numeric_limits<int32_t>::max());
  int32_t x = WrappingAdd(k48Over17, SaturatingRoundingDoublingHighMul(half_denominator, kNeg32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = SaturatingRoundingDoublingHighMul(half_denominator, x);
    const int32_t one_minus = WrappingSub(kQ2One, half_denominator_times_x);
    // Q2 * Q2 = Q4, rescaled back to Q2.
    x = WrappingAdd(x, RescaleFixedPoint(SaturatingRoundingDoublingHighMul(x, one_minus), 4, 2));
  }
  // x (Q2) reinterpreted as Q1 halves it; Q1 -> Q0 is a saturating doubling.
  return RescaleFixedPoint(x, 1, 0);
}

// TFLite GetReciprocal: 1 / x for x > 0 with x_integer_digits integer bits,
// as a Q0 scale in [0.5, 1) and *num_bits_over_unit (the power of two).
inline int32_t Reciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = __builtin_clz(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  const int32_t shifted_minus_one = static_cast<int32_t>(
      (static_cast<uint32_t>(x) << headroom_plus_one) - (uint32_t{1} << 31));
  return OneOverOnePlusXForXIn01(shifted_minus_one);
}

// TFLite GetInvSqrtQuantizedMultiplierExp: 1 / sqrt(input) for input >= 0 as
// a Q31 multiplier and shift; five Newton-Raphson steps in Q3 on the input
// normalized to [2^27, 2^29). Inputs 0 and 1 give (INT32_MAX, 0).
// reverse_shift -1 turns the right shift into TFLite's left-shift convention.
inline void InvSqrtQuantizedMultiplierExp(int32_t input, int reverse_shift, int32_t* inv_sqrt,
                                          int* shift) {
  if (input <= 1) {
    *inv_sqrt = std::numeric_limits<int32_t>::max();
    *shift = 0;
    return;
  }
  int s = 11;
  while (input >= (int32_t{1} << 29)) {
    input /= 4;
    ++s;
  }
  const unsigned max_left_shift_bits = __builtin_clz(static_cast<uint32_t>(input)) - 1;
  const unsigned left_shift_bit_pairs = max_left_shift_bits / 2 - 1;
  s -= static_cast<int>(left_shift_bit_pairs);
  input <<= 2 * left_shift_bit_pairs;
  const int32_t half_input = RoundingDivideByPOT(input >> 1, 1);  // Q3
  constexpr int32_t kHalfThree = (int32_t{1} << 28) + (int32_t{1} << 27);  // 1.5 in Q3
  int32_t x = int32_t{1} << 28;  // 1.0 in Q3
  for (int i = 0; i < 5; ++i) {
    const int32_t x3 = RescaleFixedPoint(
        SaturatingRoundingDoublingHighMul(SaturatingRoundingDoublingHighMul(x, x), x), 9, 3);
    x = RescaleFixedPoint(WrappingSub(SaturatingRoundingDoublingHighMul(kHalfThree, x),
                                      SaturatingRoundingDoublingHighMul(half_input, x3)),
                          6, 3);
  }
  x = SaturatingRoundingDoublingHighMul(x, 1518500250);  // * sqrt(2) / 2 in Q0
  if (s < 0) {
    x = ShiftLeftWrapping(x, -s);
    s = 0;
  }
  *inv_sqrt = x;
  *shift = s * reverse_shift;
}

}  // namespace pyrt
