// Reference kernels of EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS and
// LESS_EQUAL over a broadcast plan: raw values for float, int and bool; for
// int8/uint8, TFLite's ComparisonWithScaling (both inputs offset by their
// zero points, shifted left by 8 and scaled by their own scale as a Q31
// multiplier below one, then compared).
#pragma once

#include <cstdint>

#include "kernels/reference/broadcast.h"
#include "quant/fixed_point.h"

namespace pyrt {

enum class CompareOp { kEqual, kNotEqual, kGreater, kGreaterEqual, kLess, kLessEqual };

template <typename T>
inline bool Compare(CompareOp op, T a, T b) {
  switch (op) {
    case CompareOp::kEqual: return a == b;
    case CompareOp::kNotEqual: return a != b;
    case CompareOp::kGreater: return a > b;
    case CompareOp::kGreaterEqual: return a >= b;
    case CompareOp::kLess: return a < b;
    default: return a <= b;
  }
}

template <typename T, typename Fn>
void CompareBroadcast(const BroadcastPlan& p, const T* a, const T* b, bool* out, Fn value_a,
                      Fn value_b, CompareOp op) {
  const int64_t sa = p.stride_a[p.rank - 1], sb = p.stride_b[p.rank - 1];
  ForEachBroadcastRow(p, 0, p.total, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
    for (int64_t i = 0; i < n; ++i)
      out[oo + i] = Compare(op, value_a(a[oa + i * sa]), value_b(b[ob + i * sb]));
  });
}

// One input's scaling for the quantized comparison.
struct CompareScaling {
  int32_t offset = 0;  // -zero_point
  int32_t multiplier = 0;
  int shift = 0;       // <= 0
};

inline int32_t ScaledForCompare(const CompareScaling& s, int32_t q) {
  constexpr int kLeftShift = 8;
  return MultiplyByQuantizedMultiplierSmallerThanOneExp((s.offset + q) * (1 << kLeftShift),
                                                       s.multiplier, s.shift);
}

}  // namespace pyrt
