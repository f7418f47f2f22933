#include "kernels/reference/binary_s8.h"

#include <algorithm>

#include "quant/fixed_point.h"

namespace pyrt {
namespace {

// Input value at the common ADD/SUB scale.
inline int32_t ScaleAddInput(int32_t x, int32_t offset, int left_shift, int32_t multiplier,
                             int shift) {
  // |x + offset| <= 2^16 and left_shift is 20 (8-bit) or 15 (int16): no overflow.
  const int32_t shifted = (x + offset) * (1 << left_shift);
  return MultiplyByQuantizedMultiplierSmallerThanOneExp(shifted, multiplier, shift);
}

// One row; a broadcast operand goes through `prep_*` once, outside the loop.
template <typename T, typename PrepA, typename PrepB, typename Combine>
void RunRow(const T* a, int64_t sa, const T* b, int64_t sb, T* out, int64_t n, PrepA prep_a,
            PrepB prep_b, Combine combine) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(combine(prep_a(a[i]), prep_b(b[i])));
  } else if (sb == 0 && sa == 1) {
    const int32_t vb = prep_b(*b);
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(combine(prep_a(a[i]), vb));
  } else if (sa == 0 && sb == 1) {
    const int32_t va = prep_a(*a);
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(combine(va, prep_b(b[i])));
  } else {  // both broadcast: every element is the same
    const T v = static_cast<T>(combine(prep_a(*a), prep_b(*b)));
    for (int64_t i = 0; i < n; ++i) out[i] = v;
  }
}

}  // namespace

template <typename T>
void AddSubRowQ8(const AddSubParams& p, const T* a, int64_t sa, const T* b, int64_t sb, T* out,
                 int64_t n) {
  auto prep_a = [&p](int32_t x) {
    return ScaleAddInput(x, p.input1_offset, p.left_shift, p.input1_multiplier, p.input1_shift);
  };
  auto prep_b = [&p](int32_t x) {
    return ScaleAddInput(x, p.input2_offset, p.left_shift, p.input2_multiplier, p.input2_shift);
  };
  auto combine = [&p](int32_t va, int32_t vb) {
    // Both terms are below 2^28 in magnitude: no overflow.
    const int32_t raw = p.subtract ? va - vb : va + vb;
    const int32_t o = MultiplyByQuantizedMultiplierSmallerThanOneExp(raw, p.output_multiplier,
                                                                      p.output_shift) +
                      p.output_offset;
    return std::min(std::max(o, p.act_min), p.act_max);
  };
  RunRow(a, sa, b, sb, out, n, prep_a, prep_b, combine);
}

void AddSubInputTables(const AddSubParams& p, int32_t t1[256], int32_t t2[256]) {
  for (int x = -128; x < 128; ++x) {
    const int i = static_cast<uint8_t>(x);
    t1[i] = ScaleAddInput(x, p.input1_offset, p.left_shift, p.input1_multiplier, p.input1_shift);
    const int32_t v2 =
        ScaleAddInput(x, p.input2_offset, p.left_shift, p.input2_multiplier, p.input2_shift);
    t2[i] = p.subtract ? -v2 : v2;  // |v2| < 2^28: negation is exact
  }
}

template <typename T>
void MulRowQ8(const MulParams& p, const T* a, int64_t sa, const T* b, int64_t sb, T* out,
              int64_t n) {
  auto prep_a = [&p](int32_t x) { return x + p.input1_offset; };
  auto prep_b = [&p](int32_t x) { return x + p.input2_offset; };
  auto combine = [&p](int32_t va, int32_t vb) {
    const int32_t o = MultiplyByQuantizedMultiplier(va * vb, p.output_multiplier, p.output_shift) +
                      p.output_offset;
    return std::min(std::max(o, p.act_min), p.act_max);
  };
  RunRow(a, sa, b, sb, out, n, prep_a, prep_b, combine);
}

template void AddSubRowQ8<int8_t>(const AddSubParams&, const int8_t*, int64_t, const int8_t*,
                                  int64_t, int8_t*, int64_t);
template void AddSubRowQ8<uint8_t>(const AddSubParams&, const uint8_t*, int64_t, const uint8_t*,
                                   int64_t, uint8_t*, int64_t);
template void AddSubRowQ8<int16_t>(const AddSubParams&, const int16_t*, int64_t, const int16_t*,
                                   int64_t, int16_t*, int64_t);
template void MulRowQ8<int8_t>(const MulParams&, const int8_t*, int64_t, const int8_t*, int64_t,
                               int8_t*, int64_t);
template void MulRowQ8<int16_t>(const MulParams&, const int16_t*, int64_t, const int16_t*, int64_t,
                                int16_t*, int64_t);
template void MulRowQ8<uint8_t>(const MulParams&, const uint8_t*, int64_t, const uint8_t*,
                                int64_t, uint8_t*, int64_t);

}  // namespace pyrt
