// AVX2 requantization of int32 accumulators, exactly as the reference
// kernels (kernels/reference/requant.h). Include only from translation units
// compiled with -mavx2 (everything here is inline, in an unnamed namespace).
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {
namespace {

inline __m256i Load8(const int32_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// SaturatingRoundingDoublingHighMul on 8 lanes.
inline __m256i SrdhmAvx2(__m256i x, __m256i m) {
  // gemmlowp's (ab + nudge) / 2^31 with truncating division equals
  // floor((ab + 2^30) / 2^31) for either sign of ab, so a 64-bit add and
  // taking bits 31..62 reproduce it.
  const __m256i nudge = _mm256_set1_epi64x(int64_t{1} << 30);
  const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(x, m), nudge);
  const __m256i odd = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(m, 32)), nudge);
  const __m256i high =
      _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);
  // INT32_MIN * INT32_MIN gave INT32_MIN; flipping all bits saturates it to INT32_MAX.
  const __m256i int_min = _mm256_set1_epi32(INT32_MIN);
  return _mm256_xor_si256(high, _mm256_and_si256(_mm256_cmpeq_epi32(x, int_min),
                                                 _mm256_cmpeq_epi32(m, int_min)));
}

// SrdhmAvx2 for x known never to be INT32_MIN: the saturating case cannot
// occur, so its check is left out.
inline __m256i SrdhmNoSaturationAvx2(__m256i x, __m256i m) {
  const __m256i nudge = _mm256_set1_epi64x(int64_t{1} << 30);
  const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(x, m), nudge);
  const __m256i odd = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(m, 32)), nudge);
  return _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);
}

// RoundingDivideByPOT on 8 lanes; mask = 2^shift - 1. Arithmetic shift, plus
// one when the remainder is above half (threshold one higher for negatives).
inline __m256i RdbpotAvx2(__m256i x, __m256i mask, __m256i shift) {
  const __m256i remainder = _mm256_and_si256(x, mask);
  const __m256i threshold = _mm256_sub_epi32(_mm256_srli_epi32(mask, 1),
                                             _mm256_cmpgt_epi32(_mm256_setzero_si256(), x));
  return _mm256_sub_epi32(_mm256_srav_epi32(x, shift), _mm256_cmpgt_epi32(remainder, threshold));
}

// TFLite's MultiplyByQuantizedMultiplier + output zero point on 8 lanes of
// raw sums (the bias is added here), the lanes' constants loaded once (a GEMM
// tile applies them to all its rows). kLeftShift false: every left shift of
// the block is 0, so the shift is left out. kSaturate false: no multiplier
// is INT32_MIN, so SrdhmAvx2's saturating case cannot occur.
template <bool kLeftShift, bool kSaturate>
struct GemmlowpRequant8 {
  __m256i bias, multiplier, left_shift, rounding_mask, right_shift, zero_point;

  GemmlowpRequant8(const Qs8GemmEpilogue& ep, int n)
      : bias(Load8(ep.bias + n)),
        multiplier(Load8(ep.multiplier + n)),
        left_shift(Load8(ep.left_shift + n)),
        rounding_mask(Load8(ep.rounding_mask + n)),
        right_shift(Load8(ep.right_shift + n)),
        zero_point(_mm256_set1_epi32(ep.output_zero_point)) {}

  __m256i operator()(__m256i acc) const {
    __m256i x = _mm256_add_epi32(acc, bias);
    if (kLeftShift) x = _mm256_sllv_epi32(x, left_shift);
    const __m256i high = kSaturate ? SrdhmAvx2(x, multiplier) : SrdhmNoSaturationAvx2(x, multiplier);
    return _mm256_add_epi32(RdbpotAvx2(high, rounding_mask, right_shift), zero_point);
  }
};

// std::round (half away from zero) of 4 doubles, then x86 cvttsd2si: values
// outside int32 (and NaN) become INT32_MIN, as the reference's cast does.
inline __m128i RoundToInt32(__m256d v) {
  const __m256d sign = _mm256_set1_pd(-0.0);
  const __m256d t = _mm256_round_pd(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m256d frac = _mm256_andnot_pd(sign, _mm256_sub_pd(v, t));  // exact
  const __m256d up = _mm256_cmp_pd(frac, _mm256_set1_pd(0.5), _CMP_GE_OQ);
  const __m256d step = _mm256_or_pd(_mm256_and_pd(v, sign), _mm256_set1_pd(1.0));
  return _mm256_cvttpd_epi32(_mm256_add_pd(t, _mm256_and_pd(up, step)));
}

// round-half-away((sum + bias) * scale) + output zero point on 8 lanes.
struct Fp64Requant8 {
  __m256i bias, zero_point;
  __m256d scale_lo, scale_hi;

  Fp64Requant8(const Qs8GemmEpilogue& ep, int n)
      : bias(Load8(ep.bias + n)),
        zero_point(_mm256_set1_epi32(ep.output_zero_point)),
        scale_lo(_mm256_loadu_pd(ep.scale + n)),
        scale_hi(_mm256_loadu_pd(ep.scale + n + 4)) {}

  __m256i operator()(__m256i acc) const {
    const __m256i x = _mm256_add_epi32(acc, bias);
    const __m256d lo = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(x)), scale_lo);
    const __m256d hi = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(x, 1)), scale_hi);
    return _mm256_add_epi32(_mm256_set_m128i(RoundToInt32(hi), RoundToInt32(lo)), zero_point);
  }
};

template <typename T>
struct RequantType {
  using type = T;
};

// Calls body(RequantType<R>{}) with R the cheapest gemmlowp form the block's
// facts allow (one instantiation of the body per form). A single-shift form
// as on AVX-512 (GemmlowpRequant16Merged) takes as many AVX2 instructions as
// this one and measured no faster on Zen 3, so AVX2 has none.
template <typename Body>
inline void WithGemmlowpRequant8(const Qs8GemmEpilogue& ep, Body&& body) {
  if (ep.any_int32_min_multiplier) {
    body(RequantType<GemmlowpRequant8<true, true>>{});
  } else if (ep.any_left_shift) {
    body(RequantType<GemmlowpRequant8<true, false>>{});
  } else {
    body(RequantType<GemmlowpRequant8<false, false>>{});
  }
}

// The int8 bytes (with saturation) of 16 int32, clamped to the activation
// range. The range lies within int8, so saturating first changes nothing.
inline __m128i Narrow16(__m256i v0, __m256i v1, const Qs8GemmEpilogue& ep) {
  const __m256i w = _mm256_permute4x64_epi64(_mm256_packs_epi32(v0, v1), 0xD8);
  const __m128i b = _mm_packs_epi16(_mm256_castsi256_si128(w), _mm256_extracti128_si256(w, 1));
  return _mm_max_epi8(_mm_min_epi8(b, _mm_set1_epi8(static_cast<int8_t>(ep.act_max))),
                      _mm_set1_epi8(static_cast<int8_t>(ep.act_min)));
}

// Stores the first n (<= 16) bytes of b.
inline void StoreBytes(__m128i b, int n, int8_t* c) {
  if (n == 16) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(c), b);
  } else {
    alignas(16) int8_t tmp[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(tmp), b);
    std::memcpy(c, tmp, n);
  }
}

// Clamps 16 int32 to the activation range and stores nr of them as int8.
inline void Store16(__m256i v0, __m256i v1, const Qs8GemmEpilogue& ep, int nr, int8_t* c) {
  StoreBytes(Narrow16(v0, v1, ep), nr, c);
}

// The same for 8 int32 (nr <= 8).
inline void Store8(__m256i v, const Qs8GemmEpilogue& ep, int nr, int8_t* c) {
  const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  __m128i b = _mm_packs_epi16(w, w);
  b = _mm_max_epi8(_mm_min_epi8(b, _mm_set1_epi8(static_cast<int8_t>(ep.act_max))),
                   _mm_set1_epi8(static_cast<int8_t>(ep.act_min)));
  if (nr == 8) {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(c), b);
  } else {
    StoreBytes(b, nr, c);
  }
}

}  // namespace
}  // namespace pyrt
