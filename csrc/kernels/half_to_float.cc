#include "kernels/half_to_float.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kernels/reference/float16.h"

namespace pyrt {

#if defined(__SSE2__)
namespace {

// Four values (zero-extended to 32 bits) without branches: magnitude << 13
// rebiased by adding 112 to the exponent (twice for inf/NaN: 31 -> 255); a
// zero or subnormal m * 2^-24 as (2^-14 + m * 2^-24) - 2^-14, both exact
// in float; then the sign.
inline __m128i Convert4(__m128i h) {
  const __m128i exp_mask = _mm_set1_epi32(0x0f800000), rebias = _mm_set1_epi32(112 << 23);
  __m128i bits = _mm_slli_epi32(_mm_and_si128(h, _mm_set1_epi32(0x7fff)), 13);
  const __m128i exp = _mm_and_si128(bits, exp_mask);
  bits = _mm_add_epi32(bits, rebias);
  bits = _mm_add_epi32(bits, _mm_and_si128(_mm_cmpeq_epi32(exp, exp_mask), rebias));
  const __m128 biased = _mm_castsi128_ps(_mm_add_epi32(bits, _mm_set1_epi32(1 << 23)));
  const __m128i small = _mm_castps_si128(_mm_sub_ps(biased, _mm_set1_ps(6.103515625e-05f)));
  const __m128i is_small = _mm_cmpeq_epi32(exp, _mm_setzero_si128());
  bits = _mm_or_si128(_mm_and_si128(is_small, small), _mm_andnot_si128(is_small, bits));
  return _mm_or_si128(bits, _mm_slli_epi32(_mm_and_si128(h, _mm_set1_epi32(0x8000)), 16));
}

}  // namespace
#endif

void HalfToFloatRow(const uint16_t* in, int64_t n, float* out) {
  int64_t i = 0;
#if defined(__SSE2__)
  for (; i + 8 <= n; i += 8) {
    const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i),
                     Convert4(_mm_unpacklo_epi16(h, _mm_setzero_si128())));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i + 4),
                     Convert4(_mm_unpackhi_epi16(h, _mm_setzero_si128())));
  }
#endif
  for (; i < n; ++i) out[i] = HalfToFloat(in[i]);
}

}  // namespace pyrt
