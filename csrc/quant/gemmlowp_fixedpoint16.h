// gemmlowp's fixed-point logistic and tanh instantiated on int16 raw values
// (FixedPoint<int16_t, IntegerBits> in, Q0.15 out), as TFLite's integer LSTM
// calls them (tensor_utils ApplySigmoid: Q3.12 in; ApplyTanh: Q<bits>).
//
// Every step keeps gemmlowp's int16 semantics: + and - wrap to int16,
// * is SaturatingRoundingDoublingHighMul16, rescales saturate, and the int32
// constants are rounded to 16 bits (RescaleConstantInitializer).
#pragma once

#include <cstdint>

#include "quant/fixed_point.h"

namespace pyrt {
namespace fp16 {

inline int16_t Wrap(int32_t v) { return static_cast<int16_t>(static_cast<uint16_t>(v)); }
inline int16_t Add(int16_t a, int16_t b) { return Wrap(int32_t{a} + b); }
inline int16_t Sub(int16_t a, int16_t b) { return Wrap(int32_t{a} - b); }
inline int16_t Neg(int16_t a) { return Wrap(-int32_t{a}); }
inline int16_t Mul(int16_t a, int16_t b) { return SaturatingRoundingDoublingHighMul16(a, b); }
inline int16_t SatAdd(int16_t a, int16_t b) {
  const int32_t s = int32_t{a} + b;
  return static_cast<int16_t>(s > 32767 ? 32767 : s < -32768 ? -32768 : s);
}
// An int32 gemmlowp constant as its int16 twin.
inline int16_t Const(int32_t v) { return static_cast<int16_t>(RoundingDivideByPOT(v, 16)); }
inline int16_t RoundingHalfSum(int16_t a, int16_t b) {
  const int32_t sum = int32_t{a} + b;
  return static_cast<int16_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// exp(a) for a in [-1/4, 0), Q0.15.
inline int16_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int16_t a) {
  const int16_t constant_term = Const(1895147668);
  const int16_t constant_1_over_3 = Const(715827883);
  const int16_t x = Add(a, int16_t{1 << 12});
  const int16_t x2 = Mul(x, x);
  const int16_t x3 = Mul(x2, x);
  const int16_t x4 = Mul(x2, x2);
  const int16_t x4_over_4 = RoundingDivideByPOT16(x4, 2);
  const int16_t poly =
      RoundingDivideByPOT16(Add(Mul(Add(x4_over_4, x3), constant_1_over_3), x2), 1);
  return SatAdd(constant_term, Mul(constant_term, Add(x, poly)));
}

// exp(a) for a <= 0 given with `integer_bits` integer bits; Q0.15 result.
inline int16_t ExpOnNegativeValues(int16_t a, int integer_bits) {
  const int frac = 15 - integer_bits;
  const int16_t one_quarter = static_cast<int16_t>(1 << (frac - 2));
  const int16_t mask = static_cast<int16_t>(one_quarter - 1);
  const int16_t a_mod_quarter_minus_one_quarter = Sub(static_cast<int16_t>(a & mask), one_quarter);
  int16_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      SaturatingLeftShift16(a_mod_quarter_minus_one_quarter, integer_bits));
  const uint16_t remainder = static_cast<uint16_t>(Sub(a_mod_quarter_minus_one_quarter, a));
  static const int32_t kMultipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                          39332535,   720401,     242};
  for (int k = 0; k < 7; ++k) {
    const int exponent = k - 2;
    if (integer_bits <= exponent) continue;
    const int shift = frac + exponent;
    if ((remainder >> shift) & 1) result = Mul(result, Const(kMultipliers[k]));
  }
  if (integer_bits > 5) {
    const int16_t clamp = Const(-(1 << (36 - integer_bits)));
    if (a < clamp) result = 0;
  }
  if (a == 0) result = 32767;
  return result;
}

// Newton-Raphson 1 / (1 + a) (or (1 - a) / (1 + a)) for a in [0, 1), Q0.15.
inline int16_t NewtonRaphsonOneOverOnePlusX(int16_t a) {
  const int16_t half_denominator = RoundingHalfSum(a, 32767);
  int16_t x = Add(Const(1515870810), Mul(half_denominator, Const(-1010580540)));  // Q2.13
  for (int i = 0; i < 3; ++i) {
    const int16_t one_minus = Sub(int16_t{1 << 13}, Mul(half_denominator, x));
    x = Add(x, SaturatingLeftShift16(Mul(x, one_minus), 2));
  }
  return x;  // ~ 2 / (1 + a) in Q2.13; the callers rescale
}

inline int16_t OneOverOnePlusXForXIn01(int16_t a) {
  return SaturatingLeftShift16(NewtonRaphsonOneOverOnePlusX(a), 1);
}

inline int16_t OneMinusXOverOnePlusXForXIn01(int16_t a) {
  return SaturatingLeftShift16(Sub(NewtonRaphsonOneOverOnePlusX(a), int16_t{1 << 13}), 2);
}

// gemmlowp::logistic(FixedPoint<int16_t, integer_bits>::FromRaw(a)).raw()
inline int16_t Logistic(int16_t a, int integer_bits) {
  if (a == 0) return Const(1 << 30);
  const int16_t abs_input = a > 0 ? a : Neg(a);
  const int16_t positive = OneOverOnePlusXForXIn01(ExpOnNegativeValues(Neg(abs_input), integer_bits));
  return a > 0 ? positive : Sub(32767, positive);
}

// gemmlowp::tanh(FixedPoint<int16_t, integer_bits>::FromRaw(a)).raw()
inline int16_t Tanh(int16_t a, int integer_bits) {
  if (a == 0) return 0;
  const int16_t n = a < 0 ? a : Neg(a);
  const int16_t t = OneMinusXOverOnePlusXForXIn01(ExpOnNegativeValues(n, integer_bits + 1));
  return a < 0 ? Neg(t) : t;
}

}  // namespace fp16
}  // namespace pyrt
