// Compiled with -mavx2 -mfma -ffp-contract=off (see CMakeLists.txt): the
// epilogue's multiply and add must round separately, as LiteRT's.
#include "kernels/x86/avx2/hybrid_gemm_6x16c2_avx2.h"

#include <immintrin.h>

#include <cstring>

namespace pyrt {
namespace {

inline __m256i LoadWeights(const int8_t* p) {
  return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

inline __m256i BroadcastPair(const int16_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return _mm256_set1_epi32(v);
}

// One output row of 16 columns: clamp(float(acc) * (col_scale * s) + bias).
inline void StoreRow(__m256i acc0, __m256i acc1, float row_scale, const HybridGemmEpilogue& ep,
                     int n0, int nr, float* c) {
  const __m256 s = _mm256_set1_ps(row_scale);
  const __m256 lo = _mm256_set1_ps(ep.act_min), hi = _mm256_set1_ps(ep.act_max);
  __m256 y[2];
  const __m256i acc[2] = {acc0, acc1};
  for (int h = 0; h < 2; ++h) {
    const __m256 scale = _mm256_mul_ps(_mm256_loadu_ps(ep.col_scale + n0 + 8 * h), s);
    const __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[h]), scale);
    y[h] = _mm256_max_ps(_mm256_min_ps(_mm256_add_ps(v, _mm256_loadu_ps(ep.bias + n0 + 8 * h)), hi),
                         lo);
  }
  if (nr == 16) {
    _mm256_storeu_ps(c, y[0]);
    _mm256_storeu_ps(c + 8, y[1]);
    return;
  }
  alignas(32) float tmp[16];
  _mm256_store_ps(tmp, y[0]);
  _mm256_store_ps(tmp + 8, y[1]);
  std::memcpy(c, tmp, sizeof(float) * nr);
}

// kRows rows; with one or two rows the k steps alternate between two
// accumulator sets so consecutive vpmaddwd do not wait on each other.
template <int kRows>
inline void GemmRows(int nr, int kp, const int16_t* a, size_t a_stride, const int8_t* b,
                     float* c, size_t c_stride, const HybridGemmEpilogue& ep, int m0, int n0) {
  constexpr int kSets = kRows <= 2 ? 2 : 1;
  __m256i acc[kSets][kRows][2];
  for (int s = 0; s < kSets; ++s)
    for (int r = 0; r < kRows; ++r) acc[s][r][0] = acc[s][r][1] = _mm256_setzero_si256();
  int k = 0;
  for (; k + 2 * kSets <= kp; k += 2 * kSets) {
    for (int s = 0; s < kSets; ++s) {
      const int8_t* bp = b + (k + 2 * s) * 16;
      const __m256i b0 = LoadWeights(bp), b1 = LoadWeights(bp + 16);
      for (int r = 0; r < kRows; ++r) {
        const __m256i va = BroadcastPair(a + r * a_stride + k + 2 * s);
        acc[s][r][0] = _mm256_add_epi32(acc[s][r][0], _mm256_madd_epi16(va, b0));
        acc[s][r][1] = _mm256_add_epi32(acc[s][r][1], _mm256_madd_epi16(va, b1));
      }
    }
  }
  for (; k < kp; k += 2) {
    const int8_t* bp = b + k * 16;
    const __m256i b0 = LoadWeights(bp), b1 = LoadWeights(bp + 16);
    for (int r = 0; r < kRows; ++r) {
      const __m256i va = BroadcastPair(a + r * a_stride + k);
      acc[0][r][0] = _mm256_add_epi32(acc[0][r][0], _mm256_madd_epi16(va, b0));
      acc[0][r][1] = _mm256_add_epi32(acc[0][r][1], _mm256_madd_epi16(va, b1));
    }
  }
  for (int r = 0; r < kRows; ++r) {
    __m256i v0 = acc[0][r][0], v1 = acc[0][r][1];
    if (kSets == 2) v0 = _mm256_add_epi32(v0, acc[kSets - 1][r][0]);
    if (kSets == 2) v1 = _mm256_add_epi32(v1, acc[kSets - 1][r][1]);
    const float row_scale = ep.batch_scale[(m0 + r) / ep.rows_per_batch];
    StoreRow(v0, v1, row_scale, ep, n0, nr, c + r * c_stride);
  }
}

}  // namespace

void HybridGemm6x16c2Avx2(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                          const int8_t* b, float* c, size_t c_stride,
                          const HybridGemmEpilogue& ep, int m0, int n0) {
  switch (mr) {
    case 1: return GemmRows<1>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 2: return GemmRows<2>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 3: return GemmRows<3>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 4: return GemmRows<4>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 5: return GemmRows<5>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    default: return GemmRows<6>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
  }
}

}  // namespace pyrt
