// The int8 GEMM epilogues on 4 int32 lanes with ARMv8.0 NEON, shared by the
// Arm microkernels (neon, neondot, neoni8mm); bit-exact twins of
// kernels/reference/requant.h.
#pragma once

#include <arm_neon.h>

#include <cstdint>
#include <cstring>

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {
namespace qs8_neon {

// MultiplyByQuantizedMultiplier as gemmlowp's NEON code computes it:
// sqrdmulh is SaturatingRoundingDoublingHighMul itself (INT32_MIN x
// INT32_MIN saturates to INT32_MAX); RoundingDivideByPOT is a rounding
// shift (srshl by -shift rounds halves up) after subtracting one from
// negative values when shift > 0, which turns it into halves away from zero.
// The fix-up's saturating add only matters at INT32_MIN, whose result the
// -1 does not change. kLeftShift false: every left shift of the layer is 0.
template <bool kLeftShift>
struct RequantGemmlowp {
  static int32x4_t Apply(int32x4_t acc, const Qs8GemmEpilogue& ep, int n) {
    int32x4_t x = vaddq_s32(acc, vld1q_s32(ep.bias + n));  // wraps like the reference
    if (kLeftShift) x = vshlq_s32(x, vld1q_s32(ep.left_shift + n));  // x * 2^left, wrapping
    const int32x4_t high = vqrdmulhq_s32(x, vld1q_s32(ep.multiplier + n));
    const int32x4_t neg_shift = vnegq_s32(vld1q_s32(ep.right_shift + n));
    const int32x4_t fixup = vshrq_n_s32(vandq_s32(high, neg_shift), 31);
    const int32x4_t rounded = vrshlq_s32(vqaddq_s32(high, fixup), neg_shift);
    return vaddq_s32(rounded, vdupq_n_s32(ep.output_zero_point));
  }
};

// round(acc * scale) in double with halves away from zero (frinta), then
// the x86 conversion the reference reproduces (quant/float_cast.h): values
// outside int32 and NaN become INT32_MIN (fcvtzs alone would saturate).
struct RequantFp64 {
  static int32x2_t Half(int32x2_t x, const double* scale) {
    const float64x2_t v = vrndaq_f64(vmulq_f64(vcvtq_f64_s64(vmovl_s32(x)), vld1q_f64(scale)));
    const uint64x2_t in_range = vandq_u64(vcgtq_f64(v, vdupq_n_f64(-2147483649.0)),
                                          vcltq_f64(v, vdupq_n_f64(2147483648.0)));
    const int32x2_t t = vmovn_s64(vcvtq_s64_f64(v));
    return vbsl_s32(vmovn_u64(in_range), t, vdup_n_s32(INT32_MIN));
  }
  static int32x4_t Apply(int32x4_t acc, const Qs8GemmEpilogue& ep, int n) {
    const int32x4_t x = vaddq_s32(acc, vld1q_s32(ep.bias + n));
    const int32x4_t v =
        vcombine_s32(Half(vget_low_s32(x), ep.scale + n), Half(vget_high_s32(x), ep.scale + n + 2));
    return vaddq_s32(v, vdupq_n_s32(ep.output_zero_point));  // wraps like the reference
  }
};

// Narrows 4 * kVecs int32 to int8 with saturation, clamps them to the
// activation range (within int8, so saturating first changes nothing) and
// stores the first `count` (all when count >= 4 * kVecs).
template <int kVecs>
inline void Store(const int32x4_t* v, const Qs8GemmEpilogue& ep, int count, int8_t* c) {
  static_assert(kVecs == 2 || kVecs == 4, "8 or 16 columns");
  const int8x8_t lo = vqmovn_s16(vcombine_s16(vqmovn_s32(v[0]), vqmovn_s32(v[1])));
  int8x16_t bytes = vcombine_s8(lo, lo);
  if (kVecs == 4)
    bytes = vcombine_s8(lo, vqmovn_s16(vcombine_s16(vqmovn_s32(v[2]), vqmovn_s32(v[3]))));
  bytes = vmaxq_s8(vminq_s8(bytes, vdupq_n_s8(static_cast<int8_t>(ep.act_max))),
                   vdupq_n_s8(static_cast<int8_t>(ep.act_min)));
  if (count >= 4 * kVecs) {
    if (kVecs == 4) {
      vst1q_s8(c, bytes);
    } else {
      vst1_s8(c, vget_low_s8(bytes));
    }
  } else if (count > 0) {
    int8_t tmp[16];
    vst1q_s8(tmp, bytes);
    std::memcpy(c, tmp, static_cast<size_t>(count));
  }
}

}  // namespace qs8_neon
}  // namespace pyrt
