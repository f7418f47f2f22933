// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/reduce_rows_s8_avx512.h"

#include <immintrin.h>

#include <algorithm>

namespace pyrt {

void AccumulateRowsS8Avx512(const int8_t* in, int64_t rows, int64_t n, int32_t* sums) {
  // 64 columns a step (masked at the end). Up to 256 rows at a time add up
  // in int16 lanes (|sum| <= 128 * 256 fits): one widening load and one add
  // per 32 columns and row, where int32 lanes took four extracts, widenings
  // and adds per 64 (an SE block's 112x112x32 MEAN: 17 -> ~9 us). Then they
  // widen into the int32 sums, which wrap as the reference's.
  constexpr int64_t kChunk = 256;
  for (int64_t c = 0; c < n; c += 64) {
    const int64_t left = n - c;
    const __mmask64 mask = left >= 64 ? ~__mmask64{0} : (__mmask64{1} << left) - 1;
    const __mmask32 lo_mask = static_cast<__mmask32>(mask), hi_mask = static_cast<__mmask32>(mask >> 32);
    const __mmask16 m[4] = {static_cast<__mmask16>(mask), static_cast<__mmask16>(mask >> 16),
                            static_cast<__mmask16>(mask >> 32), static_cast<__mmask16>(mask >> 48)};
    __m512i acc[4];
    for (int v = 0; v < 4; ++v) acc[v] = _mm512_maskz_loadu_epi32(m[v], sums + c + 16 * v);
    const bool two_halves = left > 32;
    const int8_t* p = in + c;
    for (int64_t r0 = 0; r0 < rows; r0 += kChunk) {
      const int64_t r1 = std::min(rows, r0 + kChunk);
      __m512i lo16 = _mm512_setzero_si512(), hi16 = lo16;  // columns 0-31, 32-63
      if (two_halves) {
        for (int64_t r = r0; r < r1; ++r, p += n) {
          lo16 = _mm512_add_epi16(lo16, _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(lo_mask, p)));
          hi16 = _mm512_add_epi16(hi16,
                                  _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(hi_mask, p + 32)));
        }
      } else {
        for (int64_t r = r0; r < r1; ++r, p += n)
          lo16 = _mm512_add_epi16(lo16, _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(lo_mask, p)));
      }
      acc[0] = _mm512_add_epi32(acc[0], _mm512_cvtepi16_epi32(_mm512_castsi512_si256(lo16)));
      acc[1] = _mm512_add_epi32(acc[1], _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(lo16, 1)));
      acc[2] = _mm512_add_epi32(acc[2], _mm512_cvtepi16_epi32(_mm512_castsi512_si256(hi16)));
      acc[3] = _mm512_add_epi32(acc[3], _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(hi16, 1)));
    }
    for (int v = 0; v < 4; ++v) _mm512_mask_storeu_epi32(sums + c + 16 * v, m[v], acc[v]);
  }
}

}  // namespace pyrt
