// Float32 LOGISTIC, swish, TANH and GELU with AVX-512 (16 floats a vector; built
// with the avx512 flags and no FMA contraction; reached only through
// F32VmathConfigFor). Each step mirrors f32_vmath_twin's scalar code
// operation for operation, as the AVX2 kernels do, so all three agree bit
// for bit; the last n % 16 floats are masked lanes.
#include <immintrin.h>

#include <cstdint>
#include <limits>

#include "kernels/f32_vmath/f32_vmath.h"
#include "kernels/f32_vmath/f32_vmath_poly.h"

namespace pyrt {
namespace f32_vmath_avx512 {
namespace {

namespace p = f32_vmath_poly;

template <int N>
inline __m512 Horner(const float (&c)[N], __m512 x) {
  __m512 acc = _mm512_set1_ps(c[0]);
  for (int i = 1; i < N; ++i) acc = _mm512_fmadd_ps(acc, x, _mm512_set1_ps(c[i]));
  return acc;
}

inline __m512 Negate(__m512 x) {
  return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(x), _mm512_set1_epi32(INT32_MIN)));
}

inline __m512 Abs(__m512 x) {
  return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(INT32_MAX)));
}

// Below kExpMin 0, above kExpMax infinity; the clamped x keeps 2^n normal.
inline __m512 Exp(__m512 x_in) {
  const __m512 lo = _mm512_set1_ps(p::kExpMin), hi = _mm512_set1_ps(p::kExpMax);
  const __m512 x = _mm512_min_ps(hi, _mm512_max_ps(lo, x_in));  // NaN stays NaN
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(p::kLog2e)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(p::kLn2Lo),
                                    _mm512_fnmadd_ps(n, _mm512_set1_ps(p::kLn2Hi), x));
  const __m512 poly = _mm512_add_ps(
      _mm512_fmadd_ps(Horner(p::kExpQ, r), _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.f));
  const __m512i bits =
      _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23);
  __m512 y = _mm512_mul_ps(poly, _mm512_castsi512_ps(bits));
  y = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x_in, hi, _CMP_GT_OQ), y,
                           _mm512_set1_ps(std::numeric_limits<float>::infinity()));
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x_in, lo, _CMP_LT_OQ), y, _mm512_setzero_ps());
}

inline __m512 KeepNaN(__m512 x, __m512 y) {
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), y, x);
}

inline __m512 Logistic16(__m512 x) {
  const __mmask16 low = _mm512_cmp_ps_mask(x, _mm512_set1_ps(p::kLogisticLower), _CMP_LT_OQ);
  const __m512 e = Exp(_mm512_mask_blend_ps(low, Negate(x), x));
  const __m512 one = _mm512_set1_ps(1.f);
  __m512 y = _mm512_div_ps(one, _mm512_add_ps(one, e));
  y = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, _mm512_set1_ps(p::kLogisticUpper), _CMP_GT_OQ), y, one);
  return KeepNaN(x, _mm512_mask_blend_ps(low, y, e));
}

inline __m512 Swish16(__m512 x) { return _mm512_mul_ps(x, Logistic16(x)); }

// Tanh8's operations (f32_vmath_avx2.cc) on 16 lanes.
inline __m512 Tanh16(__m512 x) {
  const __m512 one = _mm512_set1_ps(1.f);
  const __m512 a = Abs(x);
  const __m512 u = _mm512_mul_ps(a, a);
  const __m512 small = _mm512_fmadd_ps(_mm512_mul_ps(Horner(p::kTanhP, u), u), a, a);
  const __m512 e = Exp(_mm512_add_ps(a, a));
  const __m512 big = _mm512_sub_ps(one, _mm512_div_ps(_mm512_set1_ps(2.f), _mm512_add_ps(one, e)));
  const __mmask16 near = _mm512_cmp_ps_mask(a, _mm512_set1_ps(p::kTanhSmall), _CMP_LT_OQ);
  const __m512i y = _mm512_castps_si512(_mm512_mask_blend_ps(near, big, small));
  const __m512i sign = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(INT32_MIN));
  return KeepNaN(x, _mm512_castsi512_ps(_mm512_or_si512(y, sign)));
}

// HardSwish8's operations (f32_vmath_avx2.cc) on 16 lanes.
inline __m512 HardSwish16(__m512 x) {
  const __m512 r = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(x, _mm512_set1_ps(3.f)),
                                               _mm512_setzero_ps()), _mm512_set1_ps(6.f));
  return _mm512_div_ps(_mm512_mul_ps(x, r), _mm512_set1_ps(6.f));
}

inline __m512 Gelu16(__m512 x) {
  const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.f);
  const __m512 z = _mm512_mul_ps(Abs(x), _mm512_set1_ps(p::kSqrtHalf));
  const __m512 zz = _mm512_mul_ps(z, z);
  const __mmask16 nonneg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GE_OQ);
  // z < 1: 0.5 +- 0.5 erf(z).
  const __m512 half_erf = _mm512_mul_ps(half, _mm512_mul_ps(Horner(p::kErfP, zz), z));
  const __m512 near = _mm512_mask_blend_ps(nonneg, _mm512_sub_ps(half, half_erf),
                                           _mm512_add_ps(half, half_erf));
  // z >= 1: 1 - 0.5 erfc(z) or 0.5 erfc(z).
  const __m512 erfc = _mm512_mul_ps(Exp(Negate(zz)), Horner(p::kErfcG, _mm512_div_ps(one, z)));
  const __m512 half_erfc = _mm512_mul_ps(half, erfc);
  const __m512 far = _mm512_mask_blend_ps(nonneg, half_erfc, _mm512_sub_ps(one, half_erfc));
  const __m512 cdf = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(z, one, _CMP_LT_OQ), far, near);
  return KeepNaN(x, _mm512_mul_ps(x, cdf));
}

inline __m512 GeluTanh16(__m512 x) {
  const __m512 cube = _mm512_mul_ps(_mm512_mul_ps(x, x), x);
  const __m512 inner = _mm512_fmadd_ps(_mm512_set1_ps(p::kGeluCubic), cube, x);
  const __m512 e = Exp(_mm512_mul_ps(inner, _mm512_set1_ps(p::kMinusTwoSqrt2OverPi)));
  return KeepNaN(x, _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.f), e)));
}

template <__m512 (*F)(__m512)>
void Map(int64_t n, const float* in, float* out) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, F(_mm512_loadu_ps(in + i)));
  if (i == n) return;
  const __mmask16 rest = static_cast<__mmask16>((1u << (n - i)) - 1);
  _mm512_mask_storeu_ps(out + i, rest, F(_mm512_maskz_loadu_ps(rest, in + i)));
}

}  // namespace

void Logistic(int64_t n, const float* in, float* out) { Map<Logistic16>(n, in, out); }
void Swish(int64_t n, const float* in, float* out) { Map<Swish16>(n, in, out); }
void Tanh(int64_t n, const float* in, float* out) { Map<Tanh16>(n, in, out); }
void Gelu(int64_t n, const float* in, float* out) { Map<Gelu16>(n, in, out); }
void GeluTanh(int64_t n, const float* in, float* out) { Map<GeluTanh16>(n, in, out); }
void HardSwish(int64_t n, const float* in, float* out) { Map<HardSwish16>(n, in, out); }

}  // namespace f32_vmath_avx512
}  // namespace pyrt
