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

// Channels [c, c + n), n <= 32 (mask has n bits), of output pixels, from
// their packed group (int16 weight pairs, then the requantization). Built
// once per group and pixel run, so the requantization constants stay in
// registers while the run's pixels are computed. The sums start from the bias.
template <int kPairs, typename Requant>
struct GroupPixels {
  const int8_t* weights;
  int pairs, c;
  __mmask32 mask;
  __m512i bias0, bias1;
  Requant rq0, rq1;
  __m256i act_min, act_max;

  GroupPixels(const int8_t* group, int pairs_in, int c_in, __mmask32 mask_in,
              const Qs8GemmEpilogue& ep)
      : weights(group),
        pairs(kPairs > 0 ? kPairs : pairs_in),
        c(c_in),
        mask(mask_in),
        bias0(Load16(ep.bias)),
        bias1(Load16(ep.bias + 16)),
        rq0(ep, 0),
        rq1(ep, 16),
        act_min(_mm256_set1_epi8(static_cast<int8_t>(ep.act_min))),
        act_max(_mm256_set1_epi8(static_cast<int8_t>(ep.act_max))) {}

  template <typename Taps>
  inline void operator()(Taps taps, int8_t* out) const {
    __m512i acc0 = bias0, acc1 = bias1;
    const int n = kPairs > 0 ? kPairs : pairs;  // a constant for 3x3 and 5x5
    for (int p = 0; p < n; ++p) {
      const __m512i x0 = Load32(taps(2 * p) + c, mask);
      const __m512i x1 = Load32(taps(2 * p + 1) + c, mask);
      const int8_t* wp = weights + p * 128;
      acc0 = _mm512_dpwssd_epi32(acc0, _mm512_unpacklo_epi16(x0, x1), _mm512_loadu_si512(wp));
      acc1 = _mm512_dpwssd_epi32(acc1, _mm512_unpackhi_epi16(x0, x1), _mm512_loadu_si512(wp + 64));
    }
    // The requantization is in lane-slot order; packing within 128-bit lanes
    // then restores channel order.
    __m256i b = _mm512_cvtsepi16_epi8(_mm512_packs_epi32(rq0(acc0), rq1(acc1)));
    // Saturation cannot change a value the activation clamp keeps.
    b = _mm256_max_epi8(_mm256_min_epi8(b, act_max), act_min);
    _mm256_mask_storeu_epi8(out + c, mask, b);
  }
};

// For each channel group: the view of its requantization, then f(group
// pixels) for every pixel the caller walks.
template <int kPairs, typename Requant, typename F>
inline void ForEachGroup(int C, int pairs, const int8_t* packed, size_t group_bytes,
                         const Qs8GemmEpilogue& scalars, F&& f) {
  const int groups = (C + 31) / 32;
  const int8_t* group = packed;
  for (int k = 0; k < groups; ++k, group += group_bytes) {
    const int n = C - 32 * k < 32 ? C - 32 * k : 32;
    const __mmask32 mask = static_cast<__mmask32>((uint64_t{1} << n) - 1);
    const int p = kPairs > 0 ? kPairs : pairs;
    const Qs8GemmEpilogue ep = RequantView(scalars, group + static_cast<size_t>(p) * 128, 32);
    f(GroupPixels<kPairs, Requant>(group, pairs, 32 * k, mask, ep));
  }
}

template <int kPairs, typename Requant>
void Rows(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
          const int8_t* zero_row, const Qs8GemmEpilogue& scalars, int8_t* output, int row0,
          int row1) {
  const int C = g.in_c, pairs = (g.filter_h * g.filter_w + 1) / 2;
  const size_t group_bytes = static_cast<size_t>(pairs) * 128 + GemmlowpRequantBytes(32);
  DwConvRows<kDwConvAvx512VnniMaxTaps>(
      g, input, zero_row, output, row0, row1,
      [&](auto taps, int8_t* out) {
        ForEachGroup<kPairs, Requant>(C, pairs, packed, group_bytes, scalars,
                                      [&](const auto& pixels) { pixels(taps, out); });
      },
      [&](const int8_t* base, const ptrdiff_t* offset, int count, ptrdiff_t step, int8_t* out) {
        ForEachGroup<kPairs, Requant>(
            C, pairs, packed, group_bytes, scalars, [&](const auto& pixels) {
              const int8_t* b = base;
              int8_t* o = out;
              for (int i = 0; i < count; ++i, b += step, o += C)
                pixels(DwTapOffsets{b, offset}, o);
            });
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
  } else if (scalars.right_shifts_1_to_23) {
    RowsForTaps<GemmlowpRequant16Merged>(g, input, packed, zero_row, scalars, output, row0, row1);
  } else {
    RowsForTaps<GemmlowpRequant16<false, false>>(g, input, packed, zero_row, scalars, output,
                                                 row0, row1);
  }
}

}  // namespace pyrt
