// Compiled with -mavx2 -mfma only; called only when the CPU has AVX2.
#include "kernels/x86/avx2/reduce_rows_s8_avx2.h"

#include <immintrin.h>

namespace pyrt {

void AccumulateRowsS8Avx2(const int8_t* in, int64_t rows, int64_t n, int32_t* sums) {
  int64_t c = 0;
  for (; c + 32 <= n; c += 32) {
    __m256i* s = reinterpret_cast<__m256i*>(sums + c);
    __m256i acc[4];
    for (int v = 0; v < 4; ++v) acc[v] = _mm256_loadu_si256(s + v);
    const int8_t* p = in + c;
    for (int64_t r = 0; r < rows; ++r, p += n) {
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
      const __m128i lo = _mm256_castsi256_si128(x), hi = _mm256_extracti128_si256(x, 1);
      acc[0] = _mm256_add_epi32(acc[0], _mm256_cvtepi8_epi32(lo));
      acc[1] = _mm256_add_epi32(acc[1], _mm256_cvtepi8_epi32(_mm_unpackhi_epi64(lo, lo)));
      acc[2] = _mm256_add_epi32(acc[2], _mm256_cvtepi8_epi32(hi));
      acc[3] = _mm256_add_epi32(acc[3], _mm256_cvtepi8_epi32(_mm_unpackhi_epi64(hi, hi)));
    }
    for (int v = 0; v < 4; ++v) _mm256_storeu_si256(s + v, acc[v]);
  }
  // The last n % 32 columns: unsigned adds wrap as the reference's int32 sum.
  for (; c < n; ++c) {
    uint32_t acc = static_cast<uint32_t>(sums[c]);
    for (int64_t r = 0; r < rows; ++r) acc += static_cast<uint32_t>(in[r * n + c]);
    sums[c] = static_cast<int32_t>(acc);
  }
}

}  // namespace pyrt
