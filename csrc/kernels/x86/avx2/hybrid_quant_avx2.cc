// Compiled with -mavx2 -mfma (no FMA is used: one multiply, one add).
#include "kernels/x86/avx2/hybrid_quant_avx2.h"

#include <immintrin.h>

#include <algorithm>

namespace pyrt {

bool MinMaxNoNanAvx2(const float* x, int n, float* lo, float* hi) {
  if (n < 8) return false;
  // Four independent min / max chains over 32 values a step (the scan of an
  // input still in cache is otherwise bound by their latency); one unordered
  // compare covers two vectors.
  __m256 vmin[4], vmax[4];
  for (int j = 0; j < 4; ++j) vmin[j] = vmax[j] = _mm256_loadu_ps(x);
  __m256 nan = _mm256_cmp_ps(vmin[0], vmin[0], _CMP_UNORD_Q);
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256 v[4];
    for (int j = 0; j < 4; ++j) {
      v[j] = _mm256_loadu_ps(x + i + 8 * j);
      vmin[j] = _mm256_min_ps(vmin[j], v[j]);
      vmax[j] = _mm256_max_ps(vmax[j], v[j]);
    }
    nan = _mm256_or_ps(nan, _mm256_or_ps(_mm256_cmp_ps(v[0], v[1], _CMP_UNORD_Q),
                                         _mm256_cmp_ps(v[2], v[3], _CMP_UNORD_Q)));
  }
  for (; i + 8 <= n; i += 8) {
    const __m256 v = _mm256_loadu_ps(x + i);
    nan = _mm256_or_ps(nan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
    vmin[0] = _mm256_min_ps(vmin[0], v);
    vmax[0] = _mm256_max_ps(vmax[0], v);
  }
  if (_mm256_movemask_ps(nan)) return false;
  alignas(32) float a[8], b[8];
  _mm256_store_ps(a, _mm256_min_ps(_mm256_min_ps(vmin[0], vmin[1]), _mm256_min_ps(vmin[2], vmin[3])));
  _mm256_store_ps(b, _mm256_max_ps(_mm256_max_ps(vmax[0], vmax[1]), _mm256_max_ps(vmax[2], vmax[3])));
  float mn = a[0], mx = b[0];
  for (int j = 1; j < 8; ++j) {
    mn = std::min(mn, a[j]);
    mx = std::max(mx, b[j]);
  }
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

// truncate(y + (y < 0 ? -0.5 : 0.5)) limited to +-512 (NaN -> -512).
inline __m256i RoundByHalfAdd(__m256 y) {
  const __m256 neg = _mm256_cmp_ps(y, _mm256_setzero_ps(), _CMP_LT_OQ);
  const __m256 half = _mm256_blendv_ps(_mm256_set1_ps(0.5f), _mm256_set1_ps(-0.5f), neg);
  __m256 t = _mm256_add_ps(y, half);
  t = _mm256_max_ps(t, _mm256_set1_ps(-512.f));  // NaN -> -512 (second operand)
  t = _mm256_min_ps(t, _mm256_set1_ps(512.f));
  return _mm256_cvttps_epi32(t);
}

}  // namespace

int QuantizeByHalfAddAvx2(const float* x, int n, float inv, int32_t zp, int32_t qmin, int8_t* q) {
  const __m256 vinv = _mm256_set1_ps(inv);
  const __m256i vzp = _mm256_set1_epi32(zp);
  const __m128i vqmin = _mm_set1_epi8(static_cast<char>(qmin));
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i a = _mm256_add_epi32(RoundByHalfAdd(_mm256_mul_ps(_mm256_loadu_ps(x + i), vinv)), vzp);
    const __m256i b =
        _mm256_add_epi32(RoundByHalfAdd(_mm256_mul_ps(_mm256_loadu_ps(x + i + 8), vinv)), vzp);
    // |values| <= 640: int16 packing is exact, int8 packing saturates to
    // [-128, 127], then the lower level (-127 for symmetric rows).
    const __m256i p16 = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xD8);
    __m128i p8 = _mm_packs_epi16(_mm256_castsi256_si128(p16), _mm256_extracti128_si256(p16, 1));
    p8 = _mm_max_epi8(p8, vqmin);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(q + i), p8);
  }
  return i;
}

int QuantizeByHalfAddS16Avx2(const float* x, int n, float inv, int32_t zp, int32_t qmin,
                             int16_t* q) {
  const __m256 vinv = _mm256_set1_ps(inv);
  const __m256i vzp = _mm256_set1_epi32(zp);
  const __m256i lo = _mm256_set1_epi32(qmin), hi = _mm256_set1_epi32(127);
  const auto level_minus_zp = [&](const float* p) {
    const __m256i v = _mm256_add_epi32(RoundByHalfAdd(_mm256_mul_ps(_mm256_loadu_ps(p), vinv)), vzp);
    return _mm256_sub_epi32(_mm256_min_epi32(_mm256_max_epi32(v, lo), hi), vzp);
  };
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    // |level - zp| <= 255: int16 packing is exact.
    const __m256i p16 = _mm256_packs_epi32(level_minus_zp(x + i), level_minus_zp(x + i + 8));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + i), _mm256_permute4x64_epi64(p16, 0xD8));
  }
  return i;
}

}  // namespace pyrt
