// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/quantize_f32_s8_avx512.h"

#include <immintrin.h>

namespace pyrt {
namespace {

// int32(round_half_away(x / scale)) + zp for 16 lanes. The division is
// IEEE, as the scalar one; vcvttps2dq gives INT32_MIN for NaN, +-inf and
// |v| >= 2^31, as the reference's cast does on x86-64; the zero point wraps
// like its int32 add. The saturating narrowing after it is the clamp.
inline __m512i Quantize16(__m512 x, __m512 scale, __m512i zero_point) {
  const __m512 v = _mm512_div_ps(x, scale);
  const __m512 t = _mm512_roundscale_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  // |v - t| is exact; at least 0.5 rounds away from zero (NaN: no lane).
  const __mmask16 up = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_sub_ps(v, t)),
                                          _mm512_set1_ps(0.5f), _CMP_GE_OQ);
  const __m512 away = _mm512_or_ps(_mm512_and_ps(v, _mm512_set1_ps(-0.0f)), _mm512_set1_ps(1.0f));
  const __m512i r = _mm512_cvttps_epi32(_mm512_mask_add_ps(t, up, t, away));
  return _mm512_add_epi32(r, zero_point);
}

inline void Store(int8_t* out, __mmask16 mask, __m512i q) {
  _mm_mask_storeu_epi8(out, mask, _mm512_cvtsepi32_epi8(q));
}
inline void Store(int16_t* out, __mmask16 mask, __m512i q) {
  _mm256_mask_storeu_epi16(out, mask, _mm512_cvtsepi32_epi16(q));
}

template <typename OutT>
void AffineQuantizeAvx512(const float* input, int64_t n, float scale, int32_t zero_point,
                          OutT* output) {
  const __m512 s = _mm512_set1_ps(scale);
  const __m512i zp = _mm512_set1_epi32(zero_point);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) Store(output + i, 0xFFFF, Quantize16(_mm512_loadu_ps(input + i), s, zp));
  if (i < n) {
    const __mmask16 mask = static_cast<__mmask16>((1u << (n - i)) - 1);
    Store(output + i, mask, Quantize16(_mm512_maskz_loadu_ps(mask, input + i), s, zp));
  }
}

}  // namespace

void AffineQuantizeS8Avx512(const float* input, int64_t n, float scale, int32_t zero_point,
                            int8_t* output) {
  AffineQuantizeAvx512(input, n, scale, zero_point, output);
}

void AffineQuantizeS16Avx512(const float* input, int64_t n, float scale, int32_t zero_point,
                             int16_t* output) {
  AffineQuantizeAvx512(input, n, scale, zero_point, output);
}

}  // namespace pyrt
