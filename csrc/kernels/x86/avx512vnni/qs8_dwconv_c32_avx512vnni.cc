// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/qs8_dwconv_c32_avx512vnni.h"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/dwconv_rows.h"
#include "kernels/packed_requant.h"
#include "kernels/x86/avx512vnni/requant_avx512vnni.h"

namespace pyrt {
namespace {

// n (<= 32) int8 values sign-extended to int16 lanes; lanes past n are 0
// and their bytes are never read.
inline __m512i Load32(const int8_t* p, __mmask32 mask) {
  return _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, p));
}

// One output pixel, channels [c, c + n), n <= 32 (mask has n bits), from
// their packed group (int16 weight pairs, then the requantization). The
// sums start from the bias.
template <int kPairs, typename Requant, typename Taps>
inline void PixelGroup(Taps taps, int pairs, const int8_t* group, int c, __mmask32 mask,
                       const Qs8GemmEpilogue& scalars, int8_t* out) {
  if (kPairs > 0) pairs = kPairs;
  const Qs8GemmEpilogue ep = RequantView(scalars, group + static_cast<size_t>(pairs) * 128, 32);
  __m512i acc0 = Load16(ep.bias), acc1 = Load16(ep.bias + 16);
  for (int p = 0; p < pairs; ++p) {
    const __m512i x0 = Load32(taps(2 * p) + c, mask);
    const __m512i x1 = Load32(taps(2 * p + 1) + c, mask);
    const int8_t* wp = group + p * 128;
    acc0 = _mm512_dpwssd_epi32(acc0, _mm512_unpacklo_epi16(x0, x1), _mm512_loadu_si512(wp));
    acc1 = _mm512_dpwssd_epi32(acc1, _mm512_unpackhi_epi16(x0, x1), _mm512_loadu_si512(wp + 64));
  }
  // The requantization is in lane-slot order; packing within 128-bit lanes
  // then restores channel order.
  const __m512i r0 = Requant(ep, 0)(acc0), r1 = Requant(ep, 16)(acc1);
  __m256i b = _mm512_cvtsepi16_epi8(_mm512_packs_epi32(r0, r1));
  // Saturation cannot change a value the activation clamp keeps.
  b = _mm256_max_epi8(_mm256_min_epi8(b, _mm256_set1_epi8(static_cast<int8_t>(ep.act_max))),
                      _mm256_set1_epi8(static_cast<int8_t>(ep.act_min)));
  _mm256_mask_storeu_epi8(out + c, mask, b);
}

template <int kPairs, typename Requant, typename Taps>
inline void Pixel(Taps taps, int C, int pairs, const int8_t* packed, size_t group_bytes,
                  const Qs8GemmEpilogue& scalars, int8_t* out) {
  const int full_groups = C / 32, rest = C % 32;
  const int8_t* group = packed;
  for (int k = 0; k < full_groups; ++k, group += group_bytes)
    PixelGroup<kPairs, Requant>(taps, pairs, group, k * 32, ~__mmask32{0}, scalars, out);
  if (rest)
    PixelGroup<kPairs, Requant>(taps, pairs, group, full_groups * 32,
                                static_cast<__mmask32>((uint64_t{1} << rest) - 1), scalars, out);
}

template <int kPairs, typename Requant>
void Rows(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
          const int8_t* zero_row, const Qs8GemmEpilogue& scalars, int8_t* output, int row0,
          int row1) {
  const int C = g.in_c, pairs = (g.filter_h * g.filter_w + 1) / 2;
  const size_t group_bytes = static_cast<size_t>(pairs) * 128 + GemmlowpRequantBytes(32);
  DwConvRows<kDwConvAvx512VnniMaxTaps>(g, input, zero_row, output, row0, row1,
                       [&](auto taps, int8_t* out) {
                         Pixel<kPairs, Requant>(taps, C, pairs, packed, group_bytes, scalars, out);
                       });
}

template <typename Requant>
void RowsForTaps(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
                 const int8_t* zero_row, const Qs8GemmEpilogue& scalars, int8_t* output, int row0,
                 int row1) {
  switch (g.filter_h * g.filter_w) {
    case 9: return Rows<5, Requant>(g, input, packed, zero_row, scalars, output, row0, row1);
    case 25: return Rows<13, Requant>(g, input, packed, zero_row, scalars, output, row0, row1);
    default: return Rows<0, Requant>(g, input, packed, zero_row, scalars, output, row0, row1);
  }
}

}  // namespace

void Qs8DwConvC32Avx512Vnni(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
                            const int8_t* zero_row, const Qs8GemmEpilogue& scalars,
                            int8_t* output, int row0, int row1) {
  if (scalars.any_int32_min_multiplier) {
    RowsForTaps<GemmlowpRequant16<true, true>>(g, input, packed, zero_row, scalars, output, row0,
                                               row1);
  } else if (scalars.any_left_shift) {
    RowsForTaps<GemmlowpRequant16<true, false>>(g, input, packed, zero_row, scalars, output, row0,
                                                row1);
  } else {
    RowsForTaps<GemmlowpRequant16<false, false>>(g, input, packed, zero_row, scalars, output,
                                                 row0, row1);
  }
}

}  // namespace pyrt
