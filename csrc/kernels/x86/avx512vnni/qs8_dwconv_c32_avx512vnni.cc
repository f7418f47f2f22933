// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/qs8_dwconv_c32_avx512vnni.h"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/dwconv_rows.h"
#include "kernels/x86/avx512vnni/requant_avx512vnni.h"

namespace pyrt {
namespace {

// n (<= 32) int8 values sign-extended to int16 lanes; lanes past n are 0
// and their bytes are never read.
inline __m512i Load32(const int8_t* p, __mmask32 mask) {
  return _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, p));
}

// One output pixel, channels [c, c + n), n <= 32 (mask has n bits).
template <int kPairs, bool kSaturate, typename Taps>
inline void PixelGroup(Taps taps, int pairs, const int8_t* w, int c, __mmask32 mask,
                       const Qs8GemmEpilogue& ep, int8_t* out) {
  if (kPairs > 0) pairs = kPairs;
  __m512i acc0 = _mm512_setzero_si512(), acc1 = acc0;
  for (int p = 0; p < pairs; ++p) {
    const __m512i x0 = Load32(taps(2 * p) + c, mask);
    const __m512i x1 = Load32(taps(2 * p + 1) + c, mask);
    const int8_t* wp = w + p * 64;
    const __m512i w0 = _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(wp)));
    const __m512i w1 =
        _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(wp + 32)));
    acc0 = _mm512_dpwssd_epi32(acc0, _mm512_unpacklo_epi16(x0, x1), w0);
    acc1 = _mm512_dpwssd_epi32(acc1, _mm512_unpackhi_epi16(x0, x1), w1);
  }
  // Epilogue arrays are in lane-slot order; packing within 128-bit lanes
  // then restores channel order.
  using Requant = RequantGemmlowp<true, kSaturate>;
  const __m512i r0 = Requant::Apply(acc0, ep, c), r1 = Requant::Apply(acc1, ep, c + 16);
  __m256i b = _mm512_cvtsepi16_epi8(_mm512_packs_epi32(r0, r1));
  // Saturation cannot change a value the activation clamp keeps.
  b = _mm256_max_epi8(_mm256_min_epi8(b, _mm256_set1_epi8(static_cast<int8_t>(ep.act_max))),
                      _mm256_set1_epi8(static_cast<int8_t>(ep.act_min)));
  _mm256_mask_storeu_epi8(out + c, mask, b);
}

template <int kPairs, bool kSaturate, typename Taps>
inline void Pixel(Taps taps, int C, int pairs, const int8_t* packed, const Qs8GemmEpilogue& ep,
                  int8_t* out) {
  const size_t group_stride = static_cast<size_t>(pairs) * 64;
  const int full_groups = C / 32, rest = C % 32;
  const int8_t* w = packed;
  for (int k = 0; k < full_groups; ++k, w += group_stride)
    PixelGroup<kPairs, kSaturate>(taps, pairs, w, k * 32, ~__mmask32{0}, ep, out);
  if (rest)
    PixelGroup<kPairs, kSaturate>(taps, pairs, w, full_groups * 32,
                                  static_cast<__mmask32>((uint64_t{1} << rest) - 1), ep, out);
}

template <int kPairs, bool kSaturate>
void Rows(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
          const int8_t* zero_row, const Qs8GemmEpilogue& ep, int8_t* output, int row0, int row1) {
  const int C = g.in_c, pairs = (g.filter_h * g.filter_w + 1) / 2;
  DwConvRows<kDwConvAvx512VnniMaxTaps>(g, input, zero_row, output, row0, row1,
                       [&](auto taps, int8_t* out) {
                         Pixel<kPairs, kSaturate>(taps, C, pairs, packed, ep, out);
                       });
}

template <bool kSaturate>
void RowsForTaps(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
                 const int8_t* zero_row, const Qs8GemmEpilogue& ep, int8_t* output, int row0,
                 int row1) {
  switch (g.filter_h * g.filter_w) {
    case 9: return Rows<5, kSaturate>(g, input, packed, zero_row, ep, output, row0, row1);
    case 25: return Rows<13, kSaturate>(g, input, packed, zero_row, ep, output, row0, row1);
    default: return Rows<0, kSaturate>(g, input, packed, zero_row, ep, output, row0, row1);
  }
}

}  // namespace

void Qs8DwConvC32Avx512Vnni(const ConvGeometry& g, const int8_t* input,
                            const int8_t* packed_weights, const int8_t* zero_row,
                            const Qs8GemmEpilogue& ep, int8_t* output, int row0, int row1) {
  if (ep.any_int32_min_multiplier) {
    RowsForTaps<true>(g, input, packed_weights, zero_row, ep, output, row0, row1);
  } else {
    RowsForTaps<false>(g, input, packed_weights, zero_row, ep, output, row0, row1);
  }
}

}  // namespace pyrt
