// gemmlowp-style fixed-point primitives, scalar versions.
//
// These define the rounding that TFLite's reference kernels use; every op and
// every SIMD kernel must round exactly like them. All arithmetic here is
// well defined for every int32 input (no signed overflow).
#pragma once

#include <cstdint>
#include <limits>

namespace pyrt {

// round((a * b) / 2^31), halves rounded away from zero; saturates the single
// overflow case a == b == INT32_MIN to INT32_MAX. Hardware twin: VQRDMULH.
inline int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min())
    return std::numeric_limits<int32_t>::max();
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  // C++ division truncates toward zero, as gemmlowp relies on.
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

// round(x / 2^exponent) with halves rounded away from zero; 0 <= exponent <= 31.
inline int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * 2^shift for 0 <= shift <= 31, wrapping like the two's complement
// multiply TFLite performs (its int overflow is undefined; hardware wraps).
inline int32_t ShiftLeftWrapping(int32_t x, int shift) {
  return static_cast<int32_t>(static_cast<uint32_t>(x) << shift);
}

// x * multiplier * 2^shift in TFLite's double-rounding form: a rounding
// doubling high multiply, then a rounding right shift. multiplier is a Q31
// value in [2^30, 2^31) (or 0); -31 <= shift <= 31.
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(ShiftLeftWrapping(x, left_shift), multiplier),
      right_shift);
}

// Same for multipliers < 1 (left_shift <= 0).
inline int32_t MultiplyByQuantizedMultiplierSmallerThanOneExp(int32_t x, int32_t multiplier,
                                                              int left_shift) {
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, multiplier), -left_shift);
}

// Same for multipliers > 1 (left_shift >= 0).
inline int32_t MultiplyByQuantizedMultiplierGreaterThanOne(int32_t x, int32_t multiplier,
                                                           int left_shift) {
  return SaturatingRoundingDoublingHighMul(ShiftLeftWrapping(x, left_shift), multiplier);
}

// ---- int16 versions (TFLite HARD_SWISH) ----

// round((a * b) / 2^15), halves away from zero; -32768 * -32768 saturates to
// 32767 (gemmlowp int16 SaturatingRoundingDoublingHighMul, VQRDMULH.S16).
inline int16_t SaturatingRoundingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min())
    return std::numeric_limits<int16_t>::max();
  const int32_t ab = int32_t{a} * int32_t{b};
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

// (a * b) / 2^15 truncated toward zero; -32768 * -32768 saturates to 32767
// (TFLite's SaturatingDoublingHighMul, SQDMULH-like: no rounding).
inline int16_t SaturatingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min())
    return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((int32_t{a} * int32_t{b}) / (1 << 15));
}

// gemmlowp RoundingDivideByPOT instantiated on int16, 0 <= exponent <= 31.
// For exponent <= 15 this is round(x / 2^exponent), halves away from zero.
// For exponent >= 16 the int16 mask truncates to all ones and the result is
// +1 for x >= 0 and -1 for x < 0: quirky, but that is what the reference
// computes, so we reproduce it.
inline int16_t RoundingDivideByPOT16(int16_t x, int exponent) {
  const int16_t mask = static_cast<int16_t>((int64_t{1} << exponent) - 1);
  const int16_t remainder = static_cast<int16_t>(x & mask);
  const int16_t threshold = static_cast<int16_t>((mask >> 1) + (x < 0 ? 1 : 0));
  return static_cast<int16_t>((int32_t{x} >> exponent) + (remainder > threshold ? 1 : 0));
}

// clamp(x * 2^amount) to the int16 range, 0 <= amount <= 30.
inline int16_t SaturatingLeftShift16(int16_t x, int amount) {
  const int64_t v = int64_t{x} * (int64_t{1} << amount);
  if (v > std::numeric_limits<int16_t>::max()) return std::numeric_limits<int16_t>::max();
  if (v < std::numeric_limits<int16_t>::min()) return std::numeric_limits<int16_t>::min();
  return static_cast<int16_t>(v);
}

// ---- int64 accumulators (16x8 conv-like ops, int64 bias) ----

// TFLite's MultiplyByQuantizedMultiplier(int64 x, ...): x * multiplier *
// 2^(shift - 31) with the multiplier first rounded to 16 bits
// (m + 2^15) >> 16 (0x7FFF when m >= 0x7FFF0000), then ONE rounding
// shift, halves toward +inf: (x * m16 + 2^(14 - shift)) >> (15 - shift).
// Requires -31 <= shift <= 14 (callers check in Prepare); wraps like the
// reference's two's complement int64 math and int32 truncation.
inline int32_t MultiplyByQuantizedMultiplier64(int64_t x, int32_t multiplier, int shift) {
  const int32_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
  const int total_shift = 15 - shift;
  const uint64_t prod = static_cast<uint64_t>(x) * static_cast<uint64_t>(int64_t{reduced});
  const int64_t rounded = static_cast<int64_t>(prod + (uint64_t{1} << (total_shift - 1)));
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(rounded >> total_shift)));
}

}  // namespace pyrt
