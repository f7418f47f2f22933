// AVX-512 requantization of int32 accumulators, exactly as the reference
// kernels (kernels/reference/requant.h); the zmm twin of
// kernels/x86/avx2/requant_avx2.h. Include only from translation units
// compiled with the avx512vnni path's flags (everything here is inline, in an
// unnamed namespace).
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {
namespace {

inline __m512i Load16(const int32_t* p) { return _mm512_loadu_si512(p); }

// SaturatingRoundingDoublingHighMul on 16 lanes: floor((x * m + 2^30) / 2^31)
// from the 64-bit products of the even and odd lanes (the same identity as
// the AVX2 twin, kernels/x86/avx2/requant_avx2.h); m_odd = m >> 32 (the odd
// lanes' multipliers moved down). kSaturate: also give INT32_MAX where
// x == m == INT32_MIN; only a multiplier of INT32_MIN can reach that case,
// and QuantizeMultiplier never makes one.
template <bool kSaturate>
inline __m512i Srdhm(__m512i x, __m512i m, __m512i m_odd) {
  const __m512i nudge = _mm512_set1_epi64(int64_t{1} << 30);
  const __m512i even = _mm512_add_epi64(_mm512_mul_epi32(x, m), nudge);
  const __m512i odd = _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(x, 32), m_odd), nudge);
  const __m512i high = _mm512_mask_blend_epi32(__mmask16(0xAAAA), _mm512_srli_epi64(even, 31),
                                               _mm512_slli_epi64(odd, 1));
  if (!kSaturate) return high;
  const __m512i int_min = _mm512_set1_epi32(INT32_MIN);
  const __mmask16 both_min =
      _mm512_cmpeq_epi32_mask(x, int_min) & _mm512_cmpeq_epi32_mask(m, int_min);
  return _mm512_mask_mov_epi32(high, both_min, _mm512_set1_epi32(INT32_MAX));
}

// RoundingDivideByPOT on 16 lanes; mask = 2^shift - 1, half = mask >> 1:
// arithmetic shift, plus one when the remainder is above half (threshold
// one higher for negative x: half - (x >> 31)).
inline __m512i Rdbpot(__m512i x, __m512i mask, __m512i half, __m512i shift) {
  const __m512i remainder = _mm512_and_si512(x, mask);
  const __m512i threshold = _mm512_sub_epi32(half, _mm512_srai_epi32(x, 31));
  const __m512i shifted = _mm512_srav_epi32(x, shift);
  return _mm512_mask_sub_epi32(shifted, _mm512_cmpgt_epi32_mask(remainder, threshold), shifted,
                               _mm512_set1_epi32(-1));
}

// MultiplyByQuantizedMultiplier + output zero point for 16 channels, their
// constants loaded once (a GEMM tile applies them to all its rows). Takes
// the sum with the bias already added. kLeftShift false: every left shift of
// the layer is 0 (multipliers below one, the usual case), so the shift is
// left out. kSaturate: see Srdhm.
template <bool kLeftShift, bool kSaturate>
struct GemmlowpRequant16 {
  __m512i multiplier, multiplier_odd, rounding_mask, half, right_shift, left_shift, zero_point;

  GemmlowpRequant16(const Qs8GemmEpilogue& ep, int n)
      : multiplier(Load16(ep.multiplier + n)),
        multiplier_odd(_mm512_srli_epi64(multiplier, 32)),
        rounding_mask(Load16(ep.rounding_mask + n)),
        half(_mm512_srli_epi32(rounding_mask, 1)),
        right_shift(Load16(ep.right_shift + n)),
        left_shift(kLeftShift ? Load16(ep.left_shift + n) : _mm512_setzero_si512()),
        zero_point(_mm512_set1_epi32(ep.output_zero_point)) {}

  __m512i operator()(__m512i x) const {
    if (kLeftShift) x = _mm512_sllv_epi32(x, left_shift);
    const __m512i high = Srdhm<kSaturate>(x, multiplier, multiplier_odd);
    return _mm512_add_epi32(Rdbpot(high, rounding_mask, half, right_shift), zero_point);
  }
};

// The same result as GemmlowpRequant16<false, false> in 12 instructions
// instead of 15, for layers whose right shifts s are all in [1, 23] (the
// usual case; Qs8GemmEpilogue::right_shifts_1_to_23). With p = x * m exact in
// 64 bits, SaturatingRoundingDoublingHighMul is floor((p + 2^30) / 2^31) and
// RoundingDivideByPOT(h, s) is floor((h + 2^(s-1) - [h < 0]) / 2^s); nested
// floors of integer sums merge, and h < 0 exactly when p < -2^30, so
//   out = floor((p + 2^30 + 2^(30+s) + zp * 2^(31+s) - [p < -2^30] * 2^31) / 2^(31+s))
// one arithmetic shift per 64-bit lane (|sum| < 2^63 for s <= 23). Even
// channels sit in the low dwords of the products; odd ones are shifted by
// s - 1 only, leaving the result in the high dword for the blend.
struct GemmlowpRequant16Merged {
  __m512i multiplier, multiplier_odd, add_even, add_odd, shift_even, shift_odd;

  GemmlowpRequant16Merged() = default;
  GemmlowpRequant16Merged(const Qs8GemmEpilogue& ep, int n)
      : multiplier(Load16(ep.multiplier + n)),
        multiplier_odd(_mm512_srli_epi64(multiplier, 32)) {
    const __m512i s = Load16(ep.right_shift + n);
    const __m512i s_even = _mm512_and_si512(s, _mm512_set1_epi64(0xFFFFFFFF));
    const __m512i s_odd = _mm512_srli_epi64(s, 32);
    shift_even = _mm512_add_epi64(s_even, _mm512_set1_epi64(31));
    shift_odd = _mm512_sub_epi64(s_odd, _mm512_set1_epi64(1));
    add_even = Add(s_even, ep.output_zero_point);
    add_odd = Add(s_odd, ep.output_zero_point);
  }

  // 2^30 + 2^(30+s) + zp * 2^(31+s) per 64-bit lane.
  static __m512i Add(__m512i s, int32_t zero_point) {
    const __m512i half = _mm512_sllv_epi64(_mm512_set1_epi64(int64_t{1} << 30), s);
    const __m512i zp = _mm512_sllv_epi64(_mm512_set1_epi64(zero_point),
                                         _mm512_add_epi64(s, _mm512_set1_epi64(31)));
    return _mm512_add_epi64(_mm512_add_epi64(half, zp), _mm512_set1_epi64(int64_t{1} << 30));
  }

  static __m512i Round(__m512i p, __m512i add, __m512i shift) {
    const __mmask8 below = _mm512_cmplt_epi64_mask(p, _mm512_set1_epi64(-(int64_t{1} << 30)));
    __m512i t = _mm512_add_epi64(p, add);
    t = _mm512_mask_sub_epi64(t, below, t, _mm512_set1_epi64(int64_t{1} << 31));
    return _mm512_srav_epi64(t, shift);
  }

  __m512i operator()(__m512i x) const {
    const __m512i even = Round(_mm512_mul_epi32(x, multiplier), add_even, shift_even);
    const __m512i odd =
        Round(_mm512_mul_epi32(_mm512_srli_epi64(x, 32), multiplier_odd), add_odd, shift_odd);
    return _mm512_mask_blend_epi32(__mmask16(0xAAAA), even, odd);
  }
};

// The merged form for one multiplier and right shift (in [1, 23]) on every
// lane: elementwise ops rescale by layer-wide values. Built from scalars
// (the same values as GemmlowpRequant16Merged(ep, n) would load): the rows
// of a broadcast build it once per row, often of only a few dozen elements.
inline GemmlowpRequant16Merged MergedForAllLanes(int32_t multiplier, int right_shift,
                                                 int32_t zero_point) {
  GemmlowpRequant16Merged r;
  r.multiplier = _mm512_set1_epi32(multiplier);
  r.multiplier_odd = _mm512_set1_epi64(static_cast<uint32_t>(multiplier));
  // 2^30 + 2^(30+s) + zp * 2^(31+s), as GemmlowpRequant16Merged::Add.
  const int64_t add = (int64_t{1} << 30) + (int64_t{1} << (30 + right_shift)) +
                      static_cast<int64_t>(static_cast<uint64_t>(int64_t{zero_point}) << (31 + right_shift));
  r.add_even = r.add_odd = _mm512_set1_epi64(add);
  r.shift_even = _mm512_set1_epi64(31 + right_shift);
  r.shift_odd = _mm512_set1_epi64(right_shift - 1);
  return r;
}

// std::round (half away from zero) of 8 doubles, then cvttpd2dq: values
// outside int32 (and NaN) become INT32_MIN, as the reference's cast does on x86.
inline __m256i RoundToInt32(__m512d v) {
  const __m512d t = _mm512_roundscale_pd(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m512d frac = _mm512_abs_pd(_mm512_sub_pd(v, t));  // exact
  const __mmask8 up = _mm512_cmp_pd_mask(frac, _mm512_set1_pd(0.5), _CMP_GE_OQ);
  const __m512d step = _mm512_or_pd(_mm512_and_pd(v, _mm512_set1_pd(-0.0)), _mm512_set1_pd(1.0));
  return _mm512_cvttpd_epi32(_mm512_mask_add_pd(t, up, t, step));
}

// round-half-away(x * scale) + output zero point for 16 channels, on the
// sum with the bias already added.
struct Fp64Requant16 {
  __m512d scale_lo, scale_hi;
  __m512i zero_point;

  Fp64Requant16(const Qs8GemmEpilogue& ep, int n)
      : scale_lo(_mm512_loadu_pd(ep.scale + n)),
        scale_hi(_mm512_loadu_pd(ep.scale + n + 8)),
        zero_point(_mm512_set1_epi32(ep.output_zero_point)) {}

  __m512i operator()(__m512i x) const {
    const __m512d lo = _mm512_mul_pd(_mm512_cvtepi32_pd(_mm512_castsi512_si256(x)), scale_lo);
    const __m512d hi = _mm512_mul_pd(_mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(x, 1)), scale_hi);
    const __m512i v = _mm512_inserti64x4(_mm512_castsi256_si512(RoundToInt32(lo)),
                                         RoundToInt32(hi), 1);
    return _mm512_add_epi32(v, zero_point);
  }
};

// The activation range as byte vectors, built once per tile: read from the
// epilogue inside a row loop, the bounds are loaded again after every store
// (an int8_t store may alias the epilogue).
struct ActRange8 {
  __m512i min, max;
  explicit ActRange8(const Qs8GemmEpilogue& ep)
      : min(_mm512_set1_epi8(static_cast<int8_t>(ep.act_min))),
        max(_mm512_set1_epi8(static_cast<int8_t>(ep.act_max))) {}
};

// Narrows 16 int32 to int8 with saturation, clamps them to the activation
// range (within int8, so saturating first changes nothing) and stores the
// first `count`.
inline void Store16(__m512i v, const ActRange8& range, int count, int8_t* c) {
  __m128i bytes = _mm512_cvtsepi32_epi8(v);
  bytes = _mm_max_epi8(_mm_min_epi8(bytes, _mm512_castsi512_si128(range.max)),
                       _mm512_castsi512_si128(range.min));
  if (count >= 16) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(c), bytes);
  } else if (count > 0) {
    _mm_mask_storeu_epi8(c, static_cast<__mmask16>((1u << count) - 1), bytes);
  }
}

// Narrows two rows of 32 int32 (a0 a1: row a's columns 0-15 and 16-31; b0
// b1: row b's) to int8 with saturation (int32 -> int16 -> int8 saturates as
// int32 -> int8 does), clamps them to the activation range and stores the
// first `count` (<= 32) columns of each row: 2 packs and 1 permute instead
// of 4 narrowing moves.
inline void Store2x32(__m512i a0, __m512i a1, __m512i b0, __m512i b1, const ActRange8& range,
                      int count, int8_t* row_a, int8_t* row_b) {
  // Per 128-bit lane i, dwords: a0[4i..], a1[4i..], b0[4i..], b1[4i..].
  const __m512i packed = _mm512_packs_epi16(_mm512_packs_epi32(a0, a1), _mm512_packs_epi32(b0, b1));
  const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  __m512i bytes = _mm512_permutexvar_epi32(order, packed);
  bytes = _mm512_max_epi8(_mm512_min_epi8(bytes, range.max), range.min);
  const __m256i lo = _mm512_castsi512_si256(bytes), hi = _mm512_extracti64x4_epi64(bytes, 1);
  if (count >= 32) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(row_a), lo);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(row_b), hi);
  } else {
    const __mmask32 mask = (__mmask32{1} << count) - 1;
    _mm256_mask_storeu_epi8(row_a, mask, lo);
    _mm256_mask_storeu_epi8(row_b, mask, hi);
  }
}

}  // namespace
}  // namespace pyrt
