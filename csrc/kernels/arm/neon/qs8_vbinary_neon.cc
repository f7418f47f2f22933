// Compiled with -march=armv8-a (see CMakeLists.txt): the neon path and up.
#include "kernels/arm/neon/qs8_vbinary_neon.h"

#include <arm_neon.h>

#include <cstring>

namespace pyrt {
namespace {

// RoundingDivideByPOT by a fixed exponent in [0, 31] on 4 lanes: srshl by
// -exponent rounds halves up; subtracting one from negative values first
// (only when exponent > 0) makes it halves away from zero. The saturating
// add only matters at INT32_MIN, whose result the -1 does not change.
struct RightShift {
  explicit RightShift(int exponent)
      : neg(vdupq_n_s32(-exponent)), fix(vdupq_n_s32(exponent > 0 ? -1 : 0)) {}
  int32x4_t Apply(int32x4_t x) const {
    const int32x4_t fixup = vshrq_n_s32(vandq_s32(x, fix), 31);
    return vrshlq_s32(vqaddq_s32(x, fixup), neg);
  }
  int32x4_t neg, fix;
};

// 16 int8 values; a broadcast operand (step 0) repeats its one value.
inline int8x16_t Load16(const int8_t* p, int64_t step) {
  return step ? vld1q_s8(p) : vld1q_dup_s8(p);
}

// x + offset for 16 int8 values as two int16 vectors (|x + offset| <= 255).
inline void AddOffset(int8x16_t x, int16x8_t offset, int16x8_t* lo, int16x8_t* hi) {
  *lo = vaddw_s8(offset, vget_low_s8(x));
  *hi = vaddw_high_s8(offset, x);
}

// Saturating narrowing of 4 x 4 int32 to int8, then the activation clamp:
// saturation cannot change a value the clamp keeps (the range lies in int8).
inline int8x16_t Narrow16(const int32x4_t* v, int8x16_t act_min, int8x16_t act_max) {
  const int16x8_t lo = vcombine_s16(vqmovn_s32(v[0]), vqmovn_s32(v[1]));
  const int16x8_t hi = vcombine_s16(vqmovn_s32(v[2]), vqmovn_s32(v[3]));
  const int8x16_t b = vcombine_s8(vqmovn_s16(lo), vqmovn_s16(hi));
  return vmaxq_s8(vminq_s8(b, act_max), act_min);
}

// Runs `step16(a, b, out)` over the row; the tail goes through 16-byte
// buffers so every step reads and writes exactly 16 bytes.
template <typename Step16>
void ForEach16(const int8_t* a, int64_t sa, const int8_t* b, int64_t sb, int8_t* out, int64_t n,
               Step16 step16) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) step16(a + i * sa, b + i * sb, out + i);
  if (i == n) return;
  const size_t rest = static_cast<size_t>(n - i);
  int8_t ta[16] = {}, tb[16] = {}, to[16];
  std::memcpy(ta, a + i * sa, sa ? rest : 1);
  std::memcpy(tb, b + i * sb, sb ? rest : 1);
  step16(ta, tb, to);
  std::memcpy(out + i, to, rest);
}

// The exponents and offsets the vector forms take (offsets: int8 zero
// points, so |x + offset| <= 255 fits the int16 lanes); others run the
// reference row.
bool ShiftInRange(int shift) { return shift >= -31 && shift <= 31; }
bool OffsetInRange(int32_t offset) { return offset >= -255 && offset <= 255; }

}  // namespace

void Qs8AddSubRowNeon(const AddSubParams& p, const int8_t* a, int64_t sa, const int8_t* b,
                      int64_t sb, int8_t* out, int64_t n) {
  // (x + offset) << left_shift must fit int32 (|x + offset| <= 255), and the
  // right shifts are exponents of RoundingDivideByPOT.
  if (p.left_shift < 0 || p.left_shift > 23 || p.input1_shift > 0 || p.input2_shift > 0 ||
      p.output_shift > 0 || !ShiftInRange(p.input1_shift) || !ShiftInRange(p.input2_shift) ||
      !ShiftInRange(p.output_shift) || !OffsetInRange(p.input1_offset) ||
      !OffsetInRange(p.input2_offset)) {
    return AddSubRowQ8(p, a, sa, b, sb, out, n);
  }
  const int16x8_t off1 = vdupq_n_s16(static_cast<int16_t>(p.input1_offset));
  const int16x8_t off2 = vdupq_n_s16(static_cast<int16_t>(p.input2_offset));
  const int32x4_t left = vdupq_n_s32(p.left_shift);
  const RightShift r1(-p.input1_shift), r2(-p.input2_shift), ro(-p.output_shift);
  const int32x4_t zo = vdupq_n_s32(p.output_offset);
  const int8x16_t lo = vdupq_n_s8(static_cast<int8_t>(p.act_min));
  const int8x16_t hi = vdupq_n_s8(static_cast<int8_t>(p.act_max));
  auto scale = [&](int32x4_t x, int32_t multiplier, const RightShift& r) {
    return r.Apply(vqrdmulhq_n_s32(vshlq_s32(x, left), multiplier));
  };
  // Both scaled terms are below 2^28 in magnitude: the sum cannot overflow.
  auto combine = [&](int32x4_t x1, int32x4_t x2) {
    const int32x4_t s1 = scale(x1, p.input1_multiplier, r1);
    const int32x4_t s2 = scale(x2, p.input2_multiplier, r2);
    const int32x4_t raw = p.subtract ? vsubq_s32(s1, s2) : vaddq_s32(s1, s2);
    return vaddq_s32(ro.Apply(vqrdmulhq_n_s32(raw, p.output_multiplier)), zo);
  };
  ForEach16(a, sa, b, sb, out, n, [&](const int8_t* pa, const int8_t* pb, int8_t* po) {
    int16x8_t a0, a1, b0, b1;
    AddOffset(Load16(pa, sa), off1, &a0, &a1);
    AddOffset(Load16(pb, sb), off2, &b0, &b1);
    const int32x4_t r[4] = {combine(vmovl_s16(vget_low_s16(a0)), vmovl_s16(vget_low_s16(b0))),
                            combine(vmovl_high_s16(a0), vmovl_high_s16(b0)),
                            combine(vmovl_s16(vget_low_s16(a1)), vmovl_s16(vget_low_s16(b1))),
                            combine(vmovl_high_s16(a1), vmovl_high_s16(b1))};
    vst1q_s8(po, Narrow16(r, lo, hi));
  });
}

void Qs8MulRowNeon(const MulParams& p, const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
                   int8_t* out, int64_t n) {
  if (!ShiftInRange(p.output_shift) || !OffsetInRange(p.input1_offset) ||
      !OffsetInRange(p.input2_offset)) {
    return MulRowQ8(p, a, sa, b, sb, out, n);
  }
  const int16x8_t off1 = vdupq_n_s16(static_cast<int16_t>(p.input1_offset));
  const int16x8_t off2 = vdupq_n_s16(static_cast<int16_t>(p.input2_offset));
  // The left shift wraps like the reference's (sshl drops the high bits).
  const int32x4_t left = vdupq_n_s32(p.output_shift > 0 ? p.output_shift : 0);
  const RightShift right(p.output_shift > 0 ? 0 : -p.output_shift);
  const int32_t m = p.output_multiplier;
  const int32x4_t zo = vdupq_n_s32(p.output_offset);
  const int8x16_t lo = vdupq_n_s8(static_cast<int8_t>(p.act_min));
  const int8x16_t hi = vdupq_n_s8(static_cast<int8_t>(p.act_max));
  // Both factors lie in [-255, 255]: smull gives the exact product.
  auto requant = [&](int32x4_t prod) {
    return vaddq_s32(right.Apply(vqrdmulhq_n_s32(vshlq_s32(prod, left), m)), zo);
  };
  ForEach16(a, sa, b, sb, out, n, [&](const int8_t* pa, const int8_t* pb, int8_t* po) {
    int16x8_t a0, a1, b0, b1;
    AddOffset(Load16(pa, sa), off1, &a0, &a1);
    AddOffset(Load16(pb, sb), off2, &b0, &b1);
    const int32x4_t r[4] = {requant(vmull_s16(vget_low_s16(a0), vget_low_s16(b0))),
                            requant(vmull_high_s16(a0, b0)),
                            requant(vmull_s16(vget_low_s16(a1), vget_low_s16(b1))),
                            requant(vmull_high_s16(a1, b1))};
    vst1q_s8(po, Narrow16(r, lo, hi));
  });
}

}  // namespace pyrt
