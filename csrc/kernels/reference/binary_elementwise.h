// Elementwise binary kernels over a broadcast plan: MAXIMUM / MINIMUM on
// raw values of any type, PRELU and SQUARED_DIFFERENCE on int8 (TFLite's
// reference arithmetic), DIV on int8, and float32 PRELU,
// SQUARED_DIFFERENCE and DIV.
#pragma once

#include <cstdint>

#include "kernels/reference/broadcast.h"

namespace pyrt {

// out[i] = fn(a[...], b[...]) over the plan's broadcast walk. Rows where
// each operand advances by one or stays put get loops the compiler
// vectorizes (a LayerNorm's SQUARED_DIFFERENCE of [16, 32] and [16, 1]: 4x
// fewer instructions); the values are the same either way.
template <typename T, typename Fn>
void BroadcastBinary(const BroadcastPlan& p, const T* a, const T* b, T* out, Fn fn) {
  const int64_t sa = p.stride_a[p.rank - 1], sb = p.stride_b[p.rank - 1];
  ForEachBroadcastRow(p, 0, p.total, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
    const T* x = a + oa;
    const T* y = b + ob;
    T* z = out + oo;
    if (sa == 1 && sb == 1) {
      for (int64_t i = 0; i < n; ++i) z[i] = fn(x[i], y[i]);
    } else if (sa == 1 && sb == 0) {
      const T v = y[0];
      for (int64_t i = 0; i < n; ++i) z[i] = fn(x[i], v);
    } else if (sa == 0 && sb == 1) {
      const T v = x[0];
      for (int64_t i = 0; i < n; ++i) z[i] = fn(v, y[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) z[i] = fn(x[i * sa], y[i * sb]);
    }
  });
}

enum class MinMax { kMaximum, kMinimum };

// MAXIMUM / MINIMUM compare stored values (no requantization, as TFLite).
template <typename T>
void MinMaxBroadcast(MinMax op, const BroadcastPlan& p, const T* a, const T* b, T* out) {
  if (op == MinMax::kMaximum) {
    BroadcastBinary(p, a, b, out, [](T x, T y) { return x > y ? x : y; });
  } else {
    BroadcastBinary(p, a, b, out, [](T x, T y) { return x < y ? x : y; });
  }
}

// PRELU int8 (reference_ops::Prelu / BroadcastPrelu4DSlow).
struct PreluParams {
  int32_t input_offset = 0, alpha_offset = 0;  // -zero_point
  int32_t output_offset = 0;                   // +zero_point
  int32_t multiplier_1 = 0, multiplier_2 = 0;  // x >= 0: s_in / s_out; else s_in * s_alpha / s_out
  int shift_1 = 0, shift_2 = 0;
};
int8_t PreluS8(const PreluParams& p, int8_t x, int8_t alpha);

// SQUARED_DIFFERENCE int8 (squared_difference.cc): both inputs rescaled to
// a common scale with 7 bits of headroom, differenced, squared, rescaled.
struct SquaredDifferenceParams {
  int32_t input1_offset = 0, input2_offset = 0;  // -zero_point
  int32_t output_offset = 0;
  int left_shift = 7;
  int32_t input1_multiplier = 0, input2_multiplier = 0, output_multiplier = 0;
  int input1_shift = 0, input2_shift = 0, output_shift = 0;  // <= 0
};
int8_t SquaredDifferenceS8(const SquaredDifferenceParams& p, int8_t x, int8_t y);
// One input's rescaled value (x + offset) << left_shift times its multiplier.
int32_t SquaredDifferenceScaledInput(int32_t offset, int left_shift, int32_t multiplier, int shift,
                                     int8_t x);

// DIV int8 (reference_ops::DivElementwise): fixed-point reciprocal of the
// offset divisor (signs moved to the dividend), the dividend normalized by
// its headroom, one rescale. Its final RoundingDivideByPOT can see shifts
// above 31, evaluated as x86-64 executes the reference (see .cc).
struct DivParams {
  int32_t input1_offset = 0, input2_offset = 0;  // -zero_point
  int32_t output_offset = 0;
  int32_t output_multiplier = 0;
  int output_shift = 0;  // <= 21 (checked at Prepare)
  int32_t act_min = -128, act_max = 127;
};
int8_t DivS8(const DivParams& p, int8_t x, int8_t y);

}  // namespace pyrt
