// Compiled with -mavx2 -mfma only; called only when the CPU has AVX2.
#include "kernels/x86/avx2/qs8_dwconv_c16_avx2.h"

#include <immintrin.h>

#include <cstddef>
#include <cstring>

#include "kernels/x86/avx2/requant_avx2.h"

namespace pyrt {
namespace {

// n (<= 16) int8 values sign-extended to int16 lanes; lanes past n are 0.
template <bool kFull>
inline __m256i Load16(const int8_t* p, int n) {
  if (kFull) return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  alignas(16) int8_t tmp[16] = {};
  std::memcpy(tmp, p, n);
  return _mm256_cvtepi8_epi16(_mm_load_si128(reinterpret_cast<const __m128i*>(tmp)));
}

// Where a pixel's taps are: a pointer per tap (border pixels, padding taps
// on the zero-point row), or one base plus fixed offsets (interior pixels).
struct TapPointers {
  const int8_t* const* p;
  const int8_t* operator()(int t) const { return p[t]; }
};
struct TapOffsets {
  const int8_t* base;
  const ptrdiff_t* offset;
  const int8_t* operator()(int t) const { return base + offset[t]; }
};

// One output pixel, channels [c, c + n) (n == 16 when kFull). Tap t reads
// taps(t) + c; the odd last pair's second tap has zero weights. kPairs > 0
// fixes the number of tap pairs at compile time; 0 reads it from `pairs`.
template <int kPairs, bool kFull, typename Taps>
inline void PixelGroup(Taps taps, int pairs, const int8_t* w, int c, int n,
                       const Qs8GemmEpilogue& ep, int8_t* out) {
  if (kPairs > 0) pairs = kPairs;
  __m256i acc0 = _mm256_setzero_si256(), acc1 = acc0;  // channels [0-3|8-11], [4-7|12-15]
  for (int p = 0; p < pairs; ++p) {
    const __m256i x0 = Load16<kFull>(taps(2 * p) + c, n);
    const __m256i x1 = Load16<kFull>(taps(2 * p + 1) + c, n);
    const int8_t* wp = w + p * 32;
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(_mm256_unpacklo_epi16(x0, x1),
                                                    Load16<true>(wp, 16)));
    acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(_mm256_unpackhi_epi16(x0, x1),
                                                    Load16<true>(wp + 16, 16)));
  }
  // The epilogue arrays are in the accumulators' lane order (see the header),
  // and in-lane packing restores channel order.
  const __m256i r0 = RequantGemmlowp(acc0, ep, c), r1 = RequantGemmlowp(acc1, ep, c + 8);
  const __m256i w16 = _mm256_packs_epi32(r0, r1);  // channels 0-7 | 8-15
  __m128i b = _mm_packs_epi16(_mm256_castsi256_si128(w16), _mm256_extracti128_si256(w16, 1));
  // Saturation cannot change a value the activation clamp keeps.
  b = _mm_max_epi8(_mm_min_epi8(b, _mm_set1_epi8(static_cast<int8_t>(ep.act_max))),
                   _mm_set1_epi8(static_cast<int8_t>(ep.act_min)));
  if (kFull) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + c), b);
  } else {
    alignas(16) int8_t tmp[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(tmp), b);
    std::memcpy(out + c, tmp, n);
  }
}

template <int kPairs, typename Taps>
inline void Pixel(Taps taps, int C, int pairs, const int8_t* packed, const Qs8GemmEpilogue& ep,
                  int8_t* out) {
  const size_t group_stride = static_cast<size_t>(pairs) * 32;
  const int full_groups = C / 16, rest = C % 16;
  const int8_t* w = packed;
  for (int k = 0; k < full_groups; ++k, w += group_stride)
    PixelGroup<kPairs, true>(taps, pairs, w, k * 16, 16, ep, out);
  if (rest) PixelGroup<kPairs, false>(taps, pairs, w, full_groups * 16, rest, ep, out);
}

template <int kPairs>
void Rows(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
          const int8_t* zero_row, const Qs8GemmEpilogue& ep, int8_t* output, int row0, int row1) {
  const int C = g.in_c, taps_n = g.filter_h * g.filter_w, pairs = (taps_n + 1) / 2;
  // Interior: every tap inside the image, so taps are base + fixed offsets.
  ptrdiff_t offset[kDwConvAvx2MaxTaps + 1];
  for (int fy = 0, t = 0; fy < g.filter_h; ++fy)
    for (int fx = 0; fx < g.filter_w; ++fx, ++t)
      offset[t] = (static_cast<ptrdiff_t>(fy) * g.dilation_h * g.in_w + fx * g.dilation_w) * C;
  offset[taps_n] = 0;  // partner of an odd last tap (its weights are 0)
  const int span_w = (g.filter_w - 1) * g.dilation_w, span_h = (g.filter_h - 1) * g.dilation_h;
  const int ox_lo = (g.pad_left + g.stride_w - 1) / g.stride_w;
  const int ox_hi = g.in_w - 1 - span_w + g.pad_left >= 0
                        ? (g.in_w - 1 - span_w + g.pad_left) / g.stride_w + 1 : 0;
  const int8_t* taps[kDwConvAvx2MaxTaps + 1];
  taps[taps_n] = zero_row;
  for (int row = row0; row < row1; ++row) {
    const int b = row / g.out_h, oy = row % g.out_h;
    const int8_t* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    int8_t* out = output + static_cast<size_t>(row) * g.out_w * C;
    const int iy0 = oy * g.stride_h - g.pad_top;
    const bool row_inside = iy0 >= 0 && iy0 + span_h < g.in_h;
    for (int ox = 0; ox < g.out_w; ++ox, out += C) {
      const int ix0 = ox * g.stride_w - g.pad_left;
      if (row_inside && ox >= ox_lo && ox < ox_hi) {
        const int8_t* base = image + (static_cast<ptrdiff_t>(iy0) * g.in_w + ix0) * C;
        Pixel<kPairs>(TapOffsets{base, offset}, C, pairs, packed, ep, out);
        continue;
      }
      for (int fy = 0, t = 0; fy < g.filter_h; ++fy) {
        const int iy = iy0 + fy * g.dilation_h;
        for (int fx = 0; fx < g.filter_w; ++fx, ++t) {
          const int ix = ix0 + fx * g.dilation_w;
          const bool inside = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
          taps[t] = inside ? image + (static_cast<size_t>(iy) * g.in_w + ix) * C : zero_row;
        }
      }
      Pixel<kPairs>(TapPointers{taps}, C, pairs, packed, ep, out);
    }
  }
}

}  // namespace

void Qs8DwConvC16Avx2(const ConvGeometry& g, const int8_t* input, const int8_t* packed_weights,
                      const int8_t* zero_row, const Qs8GemmEpilogue& ep, int8_t* output,
                      int row0, int row1) {
  switch (g.filter_h * g.filter_w) {
    case 9: return Rows<5>(g, input, packed_weights, zero_row, ep, output, row0, row1);
    case 25: return Rows<13>(g, input, packed_weights, zero_row, ep, output, row0, row1);
    default: return Rows<0>(g, input, packed_weights, zero_row, ep, output, row0, row1);
  }
}

}  // namespace pyrt
