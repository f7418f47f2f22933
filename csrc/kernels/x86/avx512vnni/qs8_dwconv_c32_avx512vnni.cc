// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/qs8_dwconv_c32_avx512vnni.h"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "kernels/dwconv_rows.h"
#include "kernels/packed_requant.h"
#include "kernels/x86/avx512vnni/requant_avx512vnni.h"

namespace pyrt {
namespace {

// 32 int8 values (the first n when !kFull, mask having n bits) sign-extended
// to int16 lanes; lanes past n are 0 and their bytes are never read. A full
// group loads unmasked: vpmovsxbw takes the memory operand directly.
template <bool kFull>
inline __m512i Load32(const int8_t* p, __mmask32 mask) {
  if (kFull) return _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  return _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, p));
}

// One group's constants: the bias the sums start from, the requantization
// of the two accumulators (lane-slot order) and the layer's clamp. Built
// once per group for a whole run or border batch, so they stay in registers.
template <typename Requant>
struct GroupRequant {
  __m512i bias0, bias1;
  Requant rq0, rq1;
  __m512i act_min, act_max;

  explicit GroupRequant(const Qs8GemmEpilogue& ep)
      : bias0(Load16(ep.bias)),
        bias1(Load16(ep.bias + 16)),
        rq0(ep, 0),
        rq1(ep, 16),
        act_min(_mm512_set1_epi8(static_cast<int8_t>(ep.act_min))),
        act_max(_mm512_set1_epi8(static_cast<int8_t>(ep.act_max))) {}

  // int16 channels 8i..8i+7 in 128-bit lane i: in-lane packing restores the
  // channel order of the lane slots (kDwC32LaneChannel).
  __m512i Words(__m512i acc0, __m512i acc1) const {
    return _mm512_packs_epi32(rq0(acc0), rq1(acc1));
  }
  // Saturation cannot change a value the activation clamp keeps.
  __m512i Clamp(__m512i bytes) const {
    return _mm512_max_epi8(_mm512_min_epi8(bytes, act_max), act_min);
  }
};

// One output pixel, channels [c, c + n) (mask has n bits; n == 32 when
// kFull). Tap t reads taps(t) + c; the odd last pair's second tap has zero
// weights. kPairs > 0 fixes the number of tap pairs at compile time.
template <int kPairs, bool kFull, typename Requant, typename Taps>
inline void PixelGroup(Taps taps, int pairs, const int8_t* group, int c, __mmask32 mask,
                       const GroupRequant<Requant>& rq, int8_t* out) {
  if (kPairs > 0) pairs = kPairs;
  __m512i acc0 = rq.bias0, acc1 = rq.bias1;
  for (int p = 0; p < pairs; ++p) {
    const __m512i x0 = Load32<kFull>(taps(2 * p) + c, mask);
    const __m512i x1 = Load32<kFull>(taps(2 * p + 1) + c, mask);
    const int8_t* wp = group + p * 128;
    acc0 = _mm512_dpwssd_epi32(acc0, _mm512_unpacklo_epi16(x0, x1), _mm512_loadu_si512(wp));
    acc1 = _mm512_dpwssd_epi32(acc1, _mm512_unpackhi_epi16(x0, x1), _mm512_loadu_si512(wp + 64));
  }
  const __m512i w = rq.Words(acc0, acc1);
  // Lane i: channels 8i..8i+7 twice; qwords 0, 2, 4, 6 hold them in order.
  const __m512i bytes = _mm512_permutexvar_epi64(_mm512_setr_epi64(0, 2, 4, 6, 1, 3, 5, 7),
                                                 _mm512_packs_epi16(w, w));
  _mm256_mask_storeu_epi8(out + c, mask, _mm512_castsi512_si256(rq.Clamp(bytes)));
}

// Two pixels, channels as in PixelGroup; xa(t) and xb(t) give their tap t's
// channels (Load32). Their independent chains interleave, each weight vector
// is loaded once for both, and one pack, permute and clamp serves both.
template <int kPairs, bool kFull, typename Requant, typename InputsA, typename InputsB>
inline void PixelGroupTwice(InputsA xa, InputsB xb, int pairs, const int8_t* group, int c,
                            __mmask32 mask, const GroupRequant<Requant>& rq, int8_t* out_a,
                            int8_t* out_b) {
  if (kPairs > 0) pairs = kPairs;
  __m512i a0 = rq.bias0, a1 = rq.bias1, b0 = rq.bias0, b1 = rq.bias1;
  // Unrolled (3x3 and 5x5), so the adjacent form's repeated loads merge across pairs.
#pragma GCC unroll 13
  for (int p = 0; p < pairs; ++p) {
    const int8_t* wp = group + p * 128;
    const __m512i w0 = _mm512_loadu_si512(wp), w1 = _mm512_loadu_si512(wp + 64);
    const __m512i xa0 = xa(2 * p), xa1 = xa(2 * p + 1), xb0 = xb(2 * p), xb1 = xb(2 * p + 1);
    a0 = _mm512_dpwssd_epi32(a0, _mm512_unpacklo_epi16(xa0, xa1), w0);
    a1 = _mm512_dpwssd_epi32(a1, _mm512_unpackhi_epi16(xa0, xa1), w1);
    b0 = _mm512_dpwssd_epi32(b0, _mm512_unpacklo_epi16(xb0, xb1), w0);
    b1 = _mm512_dpwssd_epi32(b1, _mm512_unpackhi_epi16(xb0, xb1), w1);
  }
  // Lane i: a's channels 8i..8i+7, then b's; qwords 0, 2, 4, 6 are a's.
  const __m512i bytes = _mm512_permutexvar_epi64(
      _mm512_setr_epi64(0, 2, 4, 6, 1, 3, 5, 7), _mm512_packs_epi16(rq.Words(a0, a1), rq.Words(b0, b1)));
  const __m512i clamped = rq.Clamp(bytes);
  const __m256i bytes_a = _mm512_castsi512_si256(clamped);
  const __m256i bytes_b = _mm512_extracti64x4_epi64(clamped, 1);
  if (kFull) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out_a + c), bytes_a);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out_b + c), bytes_b);
  } else {
    _mm256_mask_storeu_epi8(out_a + c, mask, bytes_a);
    _mm256_mask_storeu_epi8(out_b + c, mask, bytes_b);
  }
}

template <int kPairs, typename Requant>
void Rows(const ConvGeometry& g, const int8_t* input, const int8_t* packed,
          const int8_t* zero_row, const Qs8GemmEpilogue& scalars, int8_t* output, int row0,
          int row1) {
  const int C = g.in_c, pairs = (g.filter_h * g.filter_w + 1) / 2;
  const size_t group_bytes = static_cast<size_t>(pairs) * 128 + GemmlowpRequantBytes(32);
  // Pixels i and i + 1 of a batch or run for every channel group, each
  // group's weights and requantization constants loaded once for all.
  // Adjacent (a run with stride 1 of a kW x kW filter, no horizontal
  // dilation): pixel i + 1's tap (fy, fx) is pixel i's (fy, fx + 1), so the
  // pair needs kW * (kW + 1) loads instead of 2 * kW * kW (the compiler
  // merges the repeated ones; a tap is used by pairs next to each other).
  constexpr int kW = kPairs == 5 ? 3 : 5;
  const auto pixels = [&](auto taps_of, int count, auto out_of, auto adjacent) {
    const int8_t* group = packed;
    for (int c = 0; c < C; c += 32, group += group_bytes) {
      const GroupRequant<Requant> rq(
          RequantView(scalars, group + static_cast<size_t>(pairs) * 128, 32));
      const auto walk = [&](auto full) {
        constexpr bool kFull = decltype(full)::value;
        const __mmask32 mask =
            kFull ? ~__mmask32{0} : static_cast<__mmask32>((uint64_t{1} << (C - c)) - 1);
        const auto loads = [&](auto taps) {
          return [&, taps](int t) { return Load32<kFull>(taps(t) + c, mask); };
        };
        int i = 0;
        for (; i + 2 <= count; i += 2) {
          if constexpr (decltype(adjacent)::value) {
            const DwTapOffsets a = taps_of(i);
            const auto x = [&](int fy, int col) {
              return Load32<kFull>(a.base + a.offset[kW * fy] + col * C + c, mask);
            };
            // Tap kW * kW is the odd last one's partner, with zero weights.
            const auto xa = [&](int t) { return t < kW * kW ? x(t / kW, t % kW) : x(0, 0); };
            const auto xb = [&](int t) { return t < kW * kW ? x(t / kW, t % kW + 1) : x(0, 1); };
            PixelGroupTwice<kPairs, kFull>(xa, xb, pairs, group, c, mask, rq, out_of(i),
                                           out_of(i + 1));
          } else {
            PixelGroupTwice<kPairs, kFull>(loads(taps_of(i)), loads(taps_of(i + 1)), pairs, group,
                                           c, mask, rq, out_of(i), out_of(i + 1));
          }
        }
        if (i < count) PixelGroup<kPairs, kFull>(taps_of(i), pairs, group, c, mask, rq, out_of(i));
      };
      if (C - c >= 32) {
        walk(std::true_type{});
      } else {
        walk(std::false_type{});
      }
    }
  };
  DwConvRowsBatched<kDwConvAvx512VnniMaxTaps>(
      g, input, zero_row, output, row0, row1,
      [&](const DwTapPointers* taps, int8_t* const* outs, int count) {
        pixels([&](int i) { return taps[i]; }, count, [&](int i) { return outs[i]; },
               std::false_type{});
      },
      [&](const int8_t* base, const ptrdiff_t* offset, int count, ptrdiff_t step, int8_t* out) {
        const auto taps_of = [&](int i) { return DwTapOffsets{base + i * step, offset}; };
        const auto out_of = [&](int i) { return out + static_cast<ptrdiff_t>(i) * C; };
        if constexpr (kPairs == 5 || kPairs == 13) {
          if (step == C && g.filter_w == kW && g.dilation_w == 1)
            return pixels(taps_of, count, out_of, std::true_type{});
        }
        pixels(taps_of, count, out_of, std::false_type{});
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
