// Compiled with -mavx2 -mfma only; called only when the CPU has AVX2.
#include "kernels/x86/avx2/qs8_dwconv_c16_avx2.h"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/dwconv_rows.h"
#include "kernels/packed_requant.h"
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

// One block's requantization: the accumulators' two halves (lanes in the
// packed order, see the header) and the layer's clamp.
template <typename Requant>
struct GroupRequant {
  Requant lo, hi;
  __m128i act_min, act_max;

  GroupRequant(const Qs8GemmEpilogue& ep)
      : lo(ep, 0),
        hi(ep, 8),
        act_min(_mm_set1_epi8(static_cast<int8_t>(ep.act_min))),
        act_max(_mm_set1_epi8(static_cast<int8_t>(ep.act_max))) {}
};

// One output pixel, channels [c, c + n) (n == 16 when kFull). Tap t reads
// taps(t) + c; the odd last pair's second tap has zero weights. kPairs > 0
// fixes the number of tap pairs at compile time; 0 reads it from `pairs`.
template <int kPairs, bool kFull, typename Requant, typename Taps>
inline void PixelGroup(Taps taps, int pairs, const int8_t* group, int c, int n,
                       const GroupRequant<Requant>& rq, int8_t* out) {
  if (kPairs > 0) pairs = kPairs;
  __m256i acc0 = _mm256_setzero_si256(), acc1 = acc0;  // channels [0-3|8-11], [4-7|12-15]
  for (int p = 0; p < pairs; ++p) {
    const __m256i x0 = Load16<kFull>(taps(2 * p) + c, n);
    const __m256i x1 = Load16<kFull>(taps(2 * p + 1) + c, n);
    const __m256i* wp = reinterpret_cast<const __m256i*>(group + p * 64);
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(_mm256_unpacklo_epi16(x0, x1),
                                                    _mm256_loadu_si256(wp)));
    acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(_mm256_unpackhi_epi16(x0, x1),
                                                    _mm256_loadu_si256(wp + 1)));
  }
  // In-lane packing restores channel order.
  const __m256i w16 = _mm256_packs_epi32(rq.lo(acc0), rq.hi(acc1));  // channels 0-7 | 8-15
  __m128i b = _mm_packs_epi16(_mm256_castsi256_si128(w16), _mm256_extracti128_si256(w16, 1));
  // Saturation cannot change a value the activation clamp keeps.
  b = _mm_max_epi8(_mm_min_epi8(b, rq.act_max), rq.act_min);
  if (kFull) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + c), b);
  } else {
    alignas(16) int8_t tmp[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(tmp), b);
    std::memcpy(out + c, tmp, n);
  }
}

// Two pixels (taps at a(t) and b(t)), all 16 channels of the group: their
// independent chains interleave, so the requantization of one overlaps the
// loads and multiplies of the other, and each weight vector is loaded once
// for both.
template <int kPairs, typename Requant, typename Taps>
inline void PixelGroupTwice(Taps a, Taps b, int pairs, const int8_t* group, int c,
                            const GroupRequant<Requant>& rq, int8_t* out_a, int8_t* out_b) {
  if (kPairs > 0) pairs = kPairs;
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, b0 = a0, b1 = a0;
  for (int p = 0; p < pairs; ++p) {
    const __m256i* wp = reinterpret_cast<const __m256i*>(group + p * 64);
    const __m256i w0 = _mm256_loadu_si256(wp), w1 = _mm256_loadu_si256(wp + 1);
    const __m256i xa0 = Load16<true>(a(2 * p) + c, 16), xa1 = Load16<true>(a(2 * p + 1) + c, 16);
    const __m256i xb0 = Load16<true>(b(2 * p) + c, 16), xb1 = Load16<true>(b(2 * p + 1) + c, 16);
    a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(_mm256_unpacklo_epi16(xa0, xa1), w0));
    a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(_mm256_unpackhi_epi16(xa0, xa1), w1));
    b0 = _mm256_add_epi32(b0, _mm256_madd_epi16(_mm256_unpacklo_epi16(xb0, xb1), w0));
    b1 = _mm256_add_epi32(b1, _mm256_madd_epi16(_mm256_unpackhi_epi16(xb0, xb1), w1));
  }
  const __m256i wa = _mm256_packs_epi32(rq.lo(a0), rq.hi(a1));
  const __m256i wb = _mm256_packs_epi32(rq.lo(b0), rq.hi(b1));
  // Lanes: a's channels 0-7 | b's 0-7, then a's 8-15 | b's 8-15.
  const __m256i bytes = _mm256_packs_epi16(_mm256_permute2x128_si256(wa, wb, 0x20),
                                           _mm256_permute2x128_si256(wa, wb, 0x31));
  const __m256i clamped = _mm256_max_epi8(_mm256_min_epi8(bytes, _mm256_broadcastsi128_si256(rq.act_max)),
                                          _mm256_broadcastsi128_si256(rq.act_min));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out_a + c), _mm256_castsi256_si128(clamped));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out_b + c), _mm256_extracti128_si256(clamped, 1));
}

template <int kPairs, typename Requant>
void Rows(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
          const int8_t* zero_row, const Qs8GemmEpilogue& scalars, int8_t* output, int row0,
          int row1) {
  const int C = g.in_c, pairs = (g.filter_h * g.filter_w + 1) / 2;
  const size_t group_bytes = static_cast<size_t>(pairs) * 64 + GemmlowpRequantBytes(16);
  const auto group_requant = [&](const int8_t* group) {
    return GroupRequant<Requant>(RequantView(scalars, group + static_cast<size_t>(pairs) * 64, 16));
  };
  // One group of a pixel: full or the last, partial one.
  const auto pixel_group = [&](auto taps, const int8_t* group, int c, const GroupRequant<Requant>& rq,
                               int8_t* out) {
    if (C - c >= 16) {
      PixelGroup<kPairs, true>(taps, pairs, group, c, 16, rq, out);
    } else {
      PixelGroup<kPairs, false>(taps, pairs, group, c, C - c, rq, out);
    }
  };
  // Pixels i and i + 1 of a batch or run for every channel group, each
  // group's weights and requantization constants loaded once for all.
  const auto pixels = [&](auto taps_of, int count, auto out_of) {
    const int8_t* group = packed;
    for (int c = 0; c < C; c += 16, group += group_bytes) {
      const GroupRequant<Requant> rq = group_requant(group);
      int i = 0;
      if (C - c >= 16) {
        for (; i + 2 <= count; i += 2)
          PixelGroupTwice<kPairs>(taps_of(i), taps_of(i + 1), pairs, group, c, rq, out_of(i),
                                  out_of(i + 1));
      }
      for (; i < count; ++i) pixel_group(taps_of(i), group, c, rq, out_of(i));
    }
  };
  DwConvRowsBatched<kDwConvAvx2MaxTaps>(
      g, input, zero_row, output, row0, row1,
      [&](const DwTapPointers* taps, int8_t* const* outs, int count) {
        pixels([&](int i) { return taps[i]; }, count, [&](int i) { return outs[i]; });
      },
      [&](const int8_t* base, const ptrdiff_t* offset, int count, ptrdiff_t step, int8_t* out) {
        pixels([&](int i) { return DwTapOffsets{base + i * step, offset}; }, count,
               [&](int i) { return out + static_cast<ptrdiff_t>(i) * C; });
      });
}

template <typename Requant>
void ForTaps(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
             const int8_t* zero_row, const Qs8GemmEpilogue& scalars, int8_t* output, int row0,
             int row1) {
  switch (g.filter_h * g.filter_w) {
    case 9: return Rows<5, Requant>(g, input, packed, zero_row, scalars, output, row0, row1);
    case 25: return Rows<13, Requant>(g, input, packed, zero_row, scalars, output, row0, row1);
    default: return Rows<0, Requant>(g, input, packed, zero_row, scalars, output, row0, row1);
  }
}

}  // namespace

void Qs8DwConvC16Avx2(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
                      const int8_t* zero_row, const Qs8GemmEpilogue& scalars, int8_t* output,
                      int row0, int row1) {
  WithGemmlowpRequant8(scalars, [&](auto form) {
    ForTaps<typename decltype(form)::type>(g, input, packed, zero_row, scalars, output, row0, row1);
  });
}

}  // namespace pyrt
