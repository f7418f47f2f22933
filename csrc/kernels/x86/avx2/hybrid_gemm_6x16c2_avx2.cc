// Compiled with -mavx2 -mfma -ffp-contract=off (see CMakeLists.txt): the
// epilogue's multiply and add must round separately, as LiteRT's.
#include "kernels/x86/avx2/hybrid_gemm_6x16c2_avx2.h"

#include <immintrin.h>

#include <cstring>

namespace pyrt {
namespace {

// 16 int8 weights (8 columns x a k pair) sign-extended to int16 lanes.
inline __m256i LoadWeights(const int8_t* p) {
  return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

inline __m256i BroadcastPair(const int16_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return _mm256_set1_epi32(v);
}

// sums[r] = the 16 column sums of row r over kp (even) k values. Each row's
// pair is broadcast just before its two products, so 12 accumulators, 2
// weight vectors and 1 broadcast fit the 16 ymm registers (broadcasting all
// rows first made GCC spill accumulators to the stack on every k step).
template <int kRows>
inline void AccumulateRows(int kp, const int16_t* a, size_t a_stride, const int8_t* b,
                           __m256i sums[kRows][2]) {
  __m256i acc[kRows][2];
  const int16_t* row[kRows];
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) {
    acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    row[r] = a + r * a_stride;
  }
  for (int k = 0; k < kp; k += 2) {
    const __m256i w0 = LoadWeights(b + k * 16), w1 = LoadWeights(b + k * 16 + 16);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      const __m256i va = BroadcastPair(row[r] + k);
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(va, w0));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(va, w1));
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) {
    sums[r][0] = acc[r][0];
    sums[r][1] = acc[r][1];
  }
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

// kRows (1..6) rows of 16 float outputs.
template <int kRows>
inline void GemmRows(int nr, int kp, const int16_t* a, size_t a_stride, const int8_t* b,
                     float* c, size_t c_stride, const HybridGemmEpilogue& ep, int m0, int n0) {
  __m256i sums[kRows][2];
  AccumulateRows<kRows>(kp, a, a_stride, b, sums);
  for (int r = 0; r < kRows; ++r) {
    const float row_scale = ep.batch_scale[(m0 + r) / ep.rows_per_batch];
    StoreRow(sums[r][0], sums[r][1], row_scale, ep, n0, nr, c + r * c_stride);
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
