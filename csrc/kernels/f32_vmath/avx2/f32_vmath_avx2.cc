// Float32 LOGISTIC, TANH and GELU with AVX2 + FMA (built with -mavx2 -mfma;
// reached only through F32VmathConfigFor). Each step mirrors
// f32_vmath_twin's scalar code operation for operation.
#include <immintrin.h>

#include <cstdint>
#include <cstring>
#include <limits>

#include "kernels/f32_vmath/f32_vmath.h"
#include "kernels/f32_vmath/f32_vmath_poly.h"

namespace pyrt {
namespace f32_vmath_avx2 {
namespace {

namespace p = f32_vmath_poly;

template <int N>
inline __m256 Horner(const float (&c)[N], __m256 x) {
  __m256 acc = _mm256_set1_ps(c[0]);
  for (int i = 1; i < N; ++i) acc = _mm256_fmadd_ps(acc, x, _mm256_set1_ps(c[i]));
  return acc;
}

// Below kExpMin 0, above kExpMax infinity; the clamped x keeps 2^n normal.
inline __m256 Exp(__m256 x_in) {
  const __m256 lo = _mm256_set1_ps(p::kExpMin), hi = _mm256_set1_ps(p::kExpMax);
  const __m256 x = _mm256_min_ps(hi, _mm256_max_ps(lo, x_in));  // NaN stays NaN
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(p::kLog2e)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(p::kLn2Lo),
                                    _mm256_fnmadd_ps(n, _mm256_set1_ps(p::kLn2Hi), x));
  const __m256 poly = _mm256_add_ps(
      _mm256_fmadd_ps(Horner(p::kExpQ, r), _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.f));
  const __m256i bits =
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  const __m256 y = _mm256_mul_ps(poly, _mm256_castsi256_ps(bits));
  const __m256 over = _mm256_cmp_ps(x_in, hi, _CMP_GT_OQ);
  return _mm256_andnot_ps(_mm256_cmp_ps(x_in, lo, _CMP_LT_OQ),
                          _mm256_blendv_ps(y, _mm256_set1_ps(std::numeric_limits<float>::infinity()), over));
}

inline __m256 KeepNaN(__m256 x, __m256 y) {
  return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

inline __m256 Logistic8(__m256 x) {
  const __m256 low = _mm256_cmp_ps(x, _mm256_set1_ps(p::kLogisticLower), _CMP_LT_OQ);
  const __m256 neg = _mm256_xor_ps(x, _mm256_set1_ps(-0.f));
  const __m256 e = Exp(_mm256_blendv_ps(neg, x, low));
  const __m256 one = _mm256_set1_ps(1.f);
  __m256 y = _mm256_div_ps(one, _mm256_add_ps(one, e));
  y = _mm256_blendv_ps(y, one, _mm256_cmp_ps(x, _mm256_set1_ps(p::kLogisticUpper), _CMP_GT_OQ));
  return KeepNaN(x, _mm256_blendv_ps(y, e, low));
}

inline __m256 Swish8(__m256 x) { return _mm256_mul_ps(x, Logistic8(x)); }

// Both of TanhOne's forms on |x|, blended by |x| < kTanhSmall; then x's sign.
inline __m256 Tanh8(__m256 x) {
  const __m256 sign = _mm256_set1_ps(-0.f), one = _mm256_set1_ps(1.f);
  const __m256 a = _mm256_andnot_ps(sign, x);
  const __m256 u = _mm256_mul_ps(a, a);
  const __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(Horner(p::kTanhP, u), u), a, a);
  const __m256 e = Exp(_mm256_add_ps(a, a));
  const __m256 big = _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.f), _mm256_add_ps(one, e)));
  const __m256 y = _mm256_blendv_ps(big, small,
                                    _mm256_cmp_ps(a, _mm256_set1_ps(p::kTanhSmall), _CMP_LT_OQ));
  return KeepNaN(x, _mm256_or_ps(y, _mm256_and_ps(sign, x)));
}

// The reference's x * min(max(x + 3, 0), 6) / 6. maxps gives 0 where x + 3
// is NaN (std::max gives the NaN): x is NaN there, and so is x * 0.
inline __m256 HardSwish8(__m256 x) {
  const __m256 r = _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(x, _mm256_set1_ps(3.f)),
                                               _mm256_setzero_ps()), _mm256_set1_ps(6.f));
  return _mm256_div_ps(_mm256_mul_ps(x, r), _mm256_set1_ps(6.f));
}

inline __m256 Gelu8(__m256 x) {
  const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.f);
  const __m256 z = _mm256_mul_ps(_mm256_andnot_ps(_mm256_set1_ps(-0.f), x),
                                 _mm256_set1_ps(p::kSqrtHalf));
  const __m256 zz = _mm256_mul_ps(z, z);
  const __m256 nonneg = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GE_OQ);
  // z < 1: 0.5 +- 0.5 erf(z).
  const __m256 half_erf = _mm256_mul_ps(half, _mm256_mul_ps(Horner(p::kErfP, zz), z));
  const __m256 near = _mm256_blendv_ps(_mm256_sub_ps(half, half_erf), _mm256_add_ps(half, half_erf),
                                       nonneg);
  // z >= 1: 1 - 0.5 erfc(z) or 0.5 erfc(z).
  const __m256 erfc = _mm256_mul_ps(Exp(_mm256_xor_ps(zz, _mm256_set1_ps(-0.f))),
                                    Horner(p::kErfcG, _mm256_div_ps(one, z)));
  const __m256 half_erfc = _mm256_mul_ps(half, erfc);
  const __m256 far = _mm256_blendv_ps(half_erfc, _mm256_sub_ps(one, half_erfc), nonneg);
  const __m256 cdf = _mm256_blendv_ps(far, near, _mm256_cmp_ps(z, one, _CMP_LT_OQ));
  return KeepNaN(x, _mm256_mul_ps(x, cdf));
}

inline __m256 GeluTanh8(__m256 x) {
  const __m256 cube = _mm256_mul_ps(_mm256_mul_ps(x, x), x);
  const __m256 inner = _mm256_fmadd_ps(_mm256_set1_ps(p::kGeluCubic), cube, x);
  const __m256 e = Exp(_mm256_mul_ps(inner, _mm256_set1_ps(p::kMinusTwoSqrt2OverPi)));
  return KeepNaN(x, _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1.f), e)));
}

// The last n % 8 floats go through a zero-padded buffer.
template <__m256 (*F)(__m256)>
void Map(int64_t n, const float* in, float* out) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, F(_mm256_loadu_ps(in + i)));
  if (i == n) return;
  alignas(32) float buf[8] = {};
  const size_t rest = static_cast<size_t>(n - i);
  std::memcpy(buf, in + i, rest * sizeof(float));
  _mm256_store_ps(buf, F(_mm256_load_ps(buf)));
  std::memcpy(out + i, buf, rest * sizeof(float));
}

// Lanes [0, n) all ones, n in [0, 8].
inline __m256 FirstLanes(int n) {
  static const int32_t kOnes[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  return _mm256_castsi256_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(kOnes + 8 - n)));
}

// f32_vmath_twin::Softmax's steps, 8 floats a vector; a row's last depth % 8
// floats go through a buffer padded with -inf, their exps masked to 0.
void SoftmaxRow(int depth, float beta, const float* in, float* out) {
  const int full = depth / 8 * 8, rest = depth - full;
  alignas(32) float tail[8];
  for (float& t : tail) t = -std::numeric_limits<float>::infinity();
  std::memcpy(tail, in + full, static_cast<size_t>(rest) * sizeof(float));
  __m256 vmax = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  for (int i = 0; i < full; i += 8) vmax = _mm256_max_ps(_mm256_loadu_ps(in + i), vmax);
  vmax = _mm256_max_ps(_mm256_load_ps(tail), vmax);
  float m[8];
  _mm256_storeu_ps(m, vmax);
  float max = m[0];
  for (int j = 1; j < 8; ++j) max = max < m[j] ? m[j] : max;  // std::max, without its code here
  const __m256 vm = _mm256_set1_ps(max), vb = _mm256_set1_ps(beta);
  auto exps = [&](__m256 x) {
    const __m256 d = _mm256_mul_ps(_mm256_sub_ps(x, vm), vb);
    return KeepNaN(d, Exp(d));
  };
  __m256 sum = _mm256_setzero_ps();
  for (int i = 0; i < full; i += 8) {
    const __m256 e = exps(_mm256_loadu_ps(in + i));
    _mm256_storeu_ps(out + i, e);
    sum = _mm256_add_ps(sum, e);
  }
  if (rest) {
    const __m256 e = _mm256_and_ps(exps(_mm256_load_ps(tail)), FirstLanes(rest));
    _mm256_store_ps(tail, e);
    std::memcpy(out + full, tail, static_cast<size_t>(rest) * sizeof(float));
    sum = _mm256_add_ps(sum, e);
  }
  __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
  s4 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  s4 = _mm_add_ss(s4, _mm_shuffle_ps(s4, s4, 1));
  const __m256 inv = _mm256_set1_ps(1.f / _mm_cvtss_f32(s4));
  for (int i = 0; i < full; i += 8) _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_loadu_ps(out + i), inv));
  for (int i = full; i < depth; ++i) out[i] *= _mm256_cvtss_f32(inv);
}

}  // namespace

void Logistic(int64_t n, const float* in, float* out) { Map<Logistic8>(n, in, out); }
void Swish(int64_t n, const float* in, float* out) { Map<Swish8>(n, in, out); }
void Tanh(int64_t n, const float* in, float* out) { Map<Tanh8>(n, in, out); }
void Gelu(int64_t n, const float* in, float* out) { Map<Gelu8>(n, in, out); }
void GeluTanh(int64_t n, const float* in, float* out) { Map<GeluTanh8>(n, in, out); }
void HardSwish(int64_t n, const float* in, float* out) { Map<HardSwish8>(n, in, out); }

void Softmax(int64_t rows, int depth, float beta, const float* in, float* out) {
  for (int64_t r = 0; r < rows; ++r, in += depth, out += depth) SoftmaxRow(depth, beta, in, out);
}

}  // namespace f32_vmath_avx2
}  // namespace pyrt
