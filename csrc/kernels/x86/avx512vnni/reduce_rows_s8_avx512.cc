// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/reduce_rows_s8_avx512.h"

#include <immintrin.h>

namespace pyrt {

void AccumulateRowsS8Avx512(const int8_t* in, int64_t rows, int64_t n, int32_t* sums) {
  for (int64_t c = 0; c < n; c += 64) {
    const int64_t left = n - c;
    const __mmask64 mask = left >= 64 ? ~__mmask64{0} : (__mmask64{1} << left) - 1;
    const __mmask16 m[4] = {static_cast<__mmask16>(mask), static_cast<__mmask16>(mask >> 16),
                            static_cast<__mmask16>(mask >> 32), static_cast<__mmask16>(mask >> 48)};
    __m512i acc[4];
    for (int v = 0; v < 4; ++v) acc[v] = _mm512_maskz_loadu_epi32(m[v], sums + c + 16 * v);
    const int8_t* p = in + c;
    for (int64_t r = 0; r < rows; ++r, p += n) {
      const __m512i x = _mm512_maskz_loadu_epi8(mask, p);
      acc[0] = _mm512_add_epi32(acc[0], _mm512_cvtepi8_epi32(_mm512_castsi512_si128(x)));
      acc[1] = _mm512_add_epi32(acc[1], _mm512_cvtepi8_epi32(_mm512_extracti32x4_epi32(x, 1)));
      acc[2] = _mm512_add_epi32(acc[2], _mm512_cvtepi8_epi32(_mm512_extracti32x4_epi32(x, 2)));
      acc[3] = _mm512_add_epi32(acc[3], _mm512_cvtepi8_epi32(_mm512_extracti32x4_epi32(x, 3)));
    }
    for (int v = 0; v < 4; ++v) _mm512_mask_storeu_epi32(sums + c + 16 * v, m[v], acc[v]);
  }
}

}  // namespace pyrt
