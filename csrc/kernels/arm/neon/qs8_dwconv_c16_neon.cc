// Compiled with -march=armv8-a (see CMakeLists.txt): the neon path and up.
#include "kernels/arm/neon/qs8_dwconv_c16_neon.h"

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/dwconv_rows.h"
#include "kernels/packed_requant.h"
#include "kernels/qs8_gemm/neon/requant_neon.h"

namespace pyrt {
namespace {

using qs8_neon::RequantGemmlowp;

// n (<= 16) int8 values; lanes past n are 0.
template <bool kFull>
inline int8x16_t Load16(const int8_t* p, int n) {
  if (kFull) return vld1q_s8(p);
  int8_t tmp[16] = {};
  std::memcpy(tmp, p, static_cast<size_t>(n));
  return vld1q_s8(tmp);
}

// acc[0..3] (channels 0-3, 4-7, 8-11, 12-15) += x * w, x widened to int16.
inline void MultiplyAdd(int32x4_t* acc, int8x16_t x, int16x8_t w_lo, int16x8_t w_hi) {
  const int16x8_t x_lo = vmovl_s8(vget_low_s8(x)), x_hi = vmovl_high_s8(x);
  acc[0] = vmlal_s16(acc[0], vget_low_s16(x_lo), vget_low_s16(w_lo));
  acc[1] = vmlal_high_s16(acc[1], x_lo, w_lo);
  acc[2] = vmlal_s16(acc[2], vget_low_s16(x_hi), vget_low_s16(w_hi));
  acc[3] = vmlal_high_s16(acc[3], x_hi, w_hi);
}

// One output pixel, channels [c, c + n) (n == 16 when kFull). Tap t reads
// taps(t) + c; the odd last pair's second tap has zero weights. kPairs > 0
// fixes the number of tap pairs at compile time; 0 reads it from `pairs`.
template <int kPairs, bool kFull, typename Requant, typename Taps>
inline void PixelGroup(Taps taps, int pairs, const int8_t* group, int c, int n,
                       const Qs8GemmEpilogue& scalars, int8_t* out) {
  if (kPairs > 0) pairs = kPairs;
  const Qs8GemmEpilogue ep = RequantView(scalars, group + static_cast<size_t>(pairs) * 64, 16);
  int32x4_t acc[4] = {vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0)};
  const int16_t* w = reinterpret_cast<const int16_t*>(group);
  for (int p = 0; p < pairs; ++p, w += 32) {
    const int16x8x2_t w_lo = vld2q_s16(w), w_hi = vld2q_s16(w + 16);  // [tap][channel]
    MultiplyAdd(acc, Load16<kFull>(taps(2 * p) + c, n), w_lo.val[0], w_hi.val[0]);
    MultiplyAdd(acc, Load16<kFull>(taps(2 * p + 1) + c, n), w_lo.val[1], w_hi.val[1]);
  }
  int32x4_t r[4];
  for (int i = 0; i < 4; ++i) r[i] = Requant::Apply(acc[i], ep, 4 * i);
  qs8_neon::Store<4>(r, ep, n, out + c);
}

template <int kPairs, typename Requant, typename Taps>
inline void Pixel(Taps taps, int C, int pairs, const int8_t* packed,
                  const Qs8GemmEpilogue& scalars, int8_t* out) {
  const size_t group_bytes = static_cast<size_t>(pairs) * 64 + GemmlowpRequantBytes(16);
  const int full_groups = C / 16, rest = C % 16;
  const int8_t* group = packed;
  for (int k = 0; k < full_groups; ++k, group += group_bytes)
    PixelGroup<kPairs, true, Requant>(taps, pairs, group, k * 16, 16, scalars, out);
  if (rest)
    PixelGroup<kPairs, false, Requant>(taps, pairs, group, full_groups * 16, rest, scalars, out);
}

template <int kPairs, typename Requant>
void Rows(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
          const int8_t* zero_row, const Qs8GemmEpilogue& ep, int8_t* output, int row0, int row1) {
  const int C = g.in_c, pairs = (g.filter_h * g.filter_w + 1) / 2;
  DwConvRows<kDwConvNeonMaxTaps>(g, input, zero_row, output, row0, row1,
                                 [&](auto taps, int8_t* out) {
                                   Pixel<kPairs, Requant>(taps, C, pairs, packed, ep, out);
                                 });
}

template <typename Requant>
void Dispatch(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
              const int8_t* zero_row, const Qs8GemmEpilogue& ep, int8_t* output, int row0,
              int row1) {
  switch (g.filter_h * g.filter_w) {
    case 9: return Rows<5, Requant>(g, input, packed, zero_row, ep, output, row0, row1);
    case 25: return Rows<13, Requant>(g, input, packed, zero_row, ep, output, row0, row1);
    default: return Rows<0, Requant>(g, input, packed, zero_row, ep, output, row0, row1);
  }
}

}  // namespace

void Qs8DwConvC16Neon(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
                      const int8_t* zero_row, const Qs8GemmEpilogue& scalars, int8_t* output,
                      int row0, int row1) {
  if (scalars.any_left_shift) {
    Dispatch<RequantGemmlowp<true>>(g, input, packed, zero_row, scalars, output, row0, row1);
  } else {
    Dispatch<RequantGemmlowp<false>>(g, input, packed, zero_row, scalars, output, row0, row1);
  }
}

}  // namespace pyrt
