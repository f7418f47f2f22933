// Compiled with -mavx2 -mfma only; called only when the CPU has AVX2.
#include "kernels/x86/avx2/reduce_rows_s8_avx2.h"

#include <immintrin.h>

#include <algorithm>

namespace pyrt {

void AccumulateRowsS8Avx2(const int8_t* in, int64_t rows, int64_t n, int32_t* sums) {
  // Up to 256 rows at a time add up in int16 lanes (|sum| <= 128 * 256 fits),
  // then widen into the int32 sums, which wrap as the reference's.
  constexpr int64_t kChunk = 256;
  int64_t c = 0;
  for (; c + 32 <= n; c += 32) {
    __m256i* s = reinterpret_cast<__m256i*>(sums + c);
    __m256i acc[4];
    for (int v = 0; v < 4; ++v) acc[v] = _mm256_loadu_si256(s + v);
    const int8_t* p = in + c;
    for (int64_t r0 = 0; r0 < rows; r0 += kChunk) {
      const int64_t r1 = std::min(rows, r0 + kChunk);
      __m256i lo16 = _mm256_setzero_si256(), hi16 = lo16;  // columns 0-15, 16-31
      for (int64_t r = r0; r < r1; ++r, p += n) {
        const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        lo16 = _mm256_add_epi16(lo16, _mm256_cvtepi8_epi16(_mm256_castsi256_si128(x)));
        hi16 = _mm256_add_epi16(hi16, _mm256_cvtepi8_epi16(_mm256_extracti128_si256(x, 1)));
      }
      acc[0] = _mm256_add_epi32(acc[0], _mm256_cvtepi16_epi32(_mm256_castsi256_si128(lo16)));
      acc[1] = _mm256_add_epi32(acc[1], _mm256_cvtepi16_epi32(_mm256_extracti128_si256(lo16, 1)));
      acc[2] = _mm256_add_epi32(acc[2], _mm256_cvtepi16_epi32(_mm256_castsi256_si128(hi16)));
      acc[3] = _mm256_add_epi32(acc[3], _mm256_cvtepi16_epi32(_mm256_extracti128_si256(hi16, 1)));
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
