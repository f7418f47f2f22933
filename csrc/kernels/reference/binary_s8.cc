#include "kernels/reference/binary_s8.h"

#include <algorithm>

#include "quant/fixed_point.h"

namespace pyrt {
namespace {

// Input value at the common ADD/SUB scale.
inline int32_t ScaleAddInput(int32_t x, int32_t offset, int left_shift, int32_t multiplier,
                             int shift) {
  // |x + offset| <= 255, so the shift cannot overflow.
  const int32_t shifted = (x + offset) * (1 << left_shift);
  return MultiplyByQuantizedMultiplierSmallerThanOneExp(shifted, multiplier, shift);
}

// Runs `elem(x1, x2)` over the plan. Each row has one of three layouts;
// a broadcast operand is passed to `row_scalar_*` so the caller can hoist its
// per-value work out of the loop.
template <typename T, typename Elem, typename PrepA, typename PrepB, typename Combine>
void RunBinary(const BroadcastPlan& plan, const T* a, const T* b, T* out, Elem elem,
               PrepA prep_a, PrepB prep_b, Combine combine) {
  const int64_t sa = plan.stride_a[plan.rank - 1];
  const int64_t sb = plan.stride_b[plan.rank - 1];
  ForEachBroadcastRow(plan, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
    const T* pa = a + oa;
    const T* pb = b + ob;
    T* po = out + oo;
    if (sa == 1 && sb == 1) {
      for (int64_t i = 0; i < n; ++i) po[i] = static_cast<T>(elem(pa[i], pb[i]));
    } else if (sb == 0 && sa == 1) {
      const int32_t vb = prep_b(*pb);
      for (int64_t i = 0; i < n; ++i) po[i] = static_cast<T>(combine(prep_a(pa[i]), vb));
    } else if (sa == 0 && sb == 1) {
      const int32_t va = prep_a(*pa);
      for (int64_t i = 0; i < n; ++i) po[i] = static_cast<T>(combine(va, prep_b(pb[i])));
    } else {  // single element (both strides 0 cannot occur otherwise)
      for (int64_t i = 0; i < n; ++i) po[i] = static_cast<T>(elem(pa[i * sa], pb[i * sb]));
    }
  });
}

}  // namespace

template <typename T>
void AddSubQ8(const AddSubParams& p, const BroadcastPlan& plan, const T* a, const T* b, T* out) {
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
  auto elem = [&](int32_t x1, int32_t x2) { return combine(prep_a(x1), prep_b(x2)); };
  RunBinary(plan, a, b, out, elem, prep_a, prep_b, combine);
}

template <typename T>
void MulQ8(const MulParams& p, const BroadcastPlan& plan, const T* a, const T* b, T* out) {
  auto prep_a = [&p](int32_t x) { return x + p.input1_offset; };
  auto prep_b = [&p](int32_t x) { return x + p.input2_offset; };
  auto combine = [&p](int32_t va, int32_t vb) {
    const int32_t o = MultiplyByQuantizedMultiplier(va * vb, p.output_multiplier, p.output_shift) +
                      p.output_offset;
    return std::min(std::max(o, p.act_min), p.act_max);
  };
  auto elem = [&](int32_t x1, int32_t x2) { return combine(prep_a(x1), prep_b(x2)); };
  RunBinary(plan, a, b, out, elem, prep_a, prep_b, combine);
}

template void AddSubQ8<int8_t>(const AddSubParams&, const BroadcastPlan&, const int8_t*,
                               const int8_t*, int8_t*);
template void AddSubQ8<uint8_t>(const AddSubParams&, const BroadcastPlan&, const uint8_t*,
                                const uint8_t*, uint8_t*);
template void MulQ8<int8_t>(const MulParams&, const BroadcastPlan&, const int8_t*,
                            const int8_t*, int8_t*);
template void MulQ8<uint8_t>(const MulParams&, const BroadcastPlan&, const uint8_t*,
                             const uint8_t*, uint8_t*);

}  // namespace pyrt
