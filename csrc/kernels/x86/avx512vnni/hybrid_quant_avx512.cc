// Compiled with the avx512vnni path's flags plus -ffp-contract=off
// (CMakeLists.txt): one multiply, then one add, each rounded.
#include "kernels/x86/avx512vnni/hybrid_quant_avx512.h"

#include <immintrin.h>

#include <algorithm>

namespace pyrt {

bool MinMaxNoNanAvx512(const float* x, int n, float* lo, float* hi) {
  if (n < 16) return false;
  // Two accumulator pairs: min / max latency does not bound the scan.
  __m512 min0 = _mm512_loadu_ps(x), max0 = min0, min1 = min0, max1 = min0;
  __mmask16 nan = _mm512_cmp_ps_mask(min0, min0, _CMP_UNORD_Q);
  int i = 16;
  for (; i + 32 <= n; i += 32) {
    const __m512 a = _mm512_loadu_ps(x + i), b = _mm512_loadu_ps(x + i + 16);
    nan |= _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q);  // set when either is NaN
    min0 = _mm512_min_ps(min0, a);
    max0 = _mm512_max_ps(max0, a);
    min1 = _mm512_min_ps(min1, b);
    max1 = _mm512_max_ps(max1, b);
  }
  for (; i + 16 <= n; i += 16) {
    const __m512 a = _mm512_loadu_ps(x + i);
    nan |= _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q);
    min0 = _mm512_min_ps(min0, a);
    max0 = _mm512_max_ps(max0, a);
  }
  if (nan) return false;
  // Without NaN, min / max of the values do not depend on the order (a
  // zero's sign may, which no caller looks at: hybrid_quant.cc).
  float mn = _mm512_reduce_min_ps(_mm512_min_ps(min0, min1));
  float mx = _mm512_reduce_max_ps(_mm512_max_ps(max0, max1));
  for (; i < n; ++i) {
    if (x[i] != x[i]) return false;
    mn = std::min(mn, x[i]);
    mx = std::max(mx, x[i]);
  }
  *lo = mn;
  *hi = mx;
  return true;
}

namespace {

// truncate(y + (y < 0 ? -0.5 : 0.5)) limited to +-512 (NaN -> -512), then
// + zp: as RoundByHalfAdd in hybrid_quant.cc.
inline __m512i Level(__m512 x, __m512 inv, __m512i zp) {
  const __m512 y = _mm512_mul_ps(x, inv);
  const __mmask16 neg = _mm512_cmp_ps_mask(y, _mm512_setzero_ps(), _CMP_LT_OQ);
  const __m512 half = _mm512_mask_blend_ps(neg, _mm512_set1_ps(0.5f), _mm512_set1_ps(-0.5f));
  __m512 t = _mm512_add_ps(y, half);
  t = _mm512_max_ps(t, _mm512_set1_ps(-512.f));  // NaN -> -512 (second operand)
  t = _mm512_min_ps(t, _mm512_set1_ps(512.f));
  return _mm512_add_epi32(_mm512_cvttps_epi32(t), zp);
}

}  // namespace

int QuantizeByHalfAddAvx512(const float* x, int n, float inv, int32_t zp, int32_t qmin,
                            int8_t* q) {
  const __m512 vinv = _mm512_set1_ps(inv);
  const __m512i vzp = _mm512_set1_epi32(zp);
  const __m128i vqmin = _mm_set1_epi8(static_cast<char>(qmin));
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    // |level| <= 640: saturating to int8 then raising to qmin is the clamp.
    const __m128i p8 = _mm512_cvtsepi32_epi8(Level(_mm512_loadu_ps(x + i), vinv, vzp));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(q + i), _mm_max_epi8(p8, vqmin));
  }
  return i;
}

}  // namespace pyrt
