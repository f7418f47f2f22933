// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/pool_s8/avx512vnni/average_pool_s8_avx512.h"

#include <immintrin.h>

#include <algorithm>

#include "kernels/pool_s8/pool_windows.h"

namespace pyrt {

void AveragePoolS8Avx512(const PoolGeometry& g, const int8_t* input, int8_t* output, uint8_t*) {
  const int C = g.channels;
  const __m512i act_min = _mm512_set1_epi32(g.act_min), act_max = _mm512_set1_epi32(g.act_max);
  const __m512i one = _mm512_set1_epi32(1);
  ForEachPoolWindow(g, input, output, [&](const int8_t* image, int y_begin, int y_end,
                                         int x_begin, int x_end, int8_t* out) {
    const int count = (y_end - y_begin) * (x_end - x_begin);
    const __m512i cnt = _mm512_set1_epi32(count), half = _mm512_set1_epi32(count / 2);
    const __m512 inv = _mm512_set1_ps(1.0f / static_cast<float>(count));
    for (int c = 0; c < C; c += 16) {
      const __mmask16 mask = C - c >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (C - c)) - 1);
      __m512i acc = _mm512_setzero_si512();
      for (int y = y_begin; y < y_end; ++y) {
        const int8_t* row = image + (static_cast<size_t>(y) * g.in_w) * C + c;
        for (int x = x_begin; x < x_end; ++x)
          acc = _mm512_add_epi32(acc, _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, row + static_cast<size_t>(x) * C)));
      }
      // (|a| + count / 2) / count, then the sign of a: the reference's
      // truncating (a +- count / 2) / count. The float quotient is off by
      // at most one; the compares fix it.
      const __m512i n = _mm512_add_epi32(_mm512_abs_epi32(acc), half);
      __m512i q = _mm512_cvttps_epi32(_mm512_mul_ps(_mm512_cvtepi32_ps(n), inv));
      q = _mm512_mask_add_epi32(q, _mm512_cmple_epi32_mask(_mm512_mullo_epi32(_mm512_add_epi32(q, one), cnt), n), q, one);
      q = _mm512_mask_sub_epi32(q, _mm512_cmpgt_epi32_mask(_mm512_mullo_epi32(q, cnt), n), q, one);
      q = _mm512_mask_sub_epi32(q, _mm512_cmplt_epi32_mask(acc, _mm512_setzero_si512()), _mm512_setzero_si512(), q);
      q = _mm512_min_epi32(_mm512_max_epi32(q, act_min), act_max);
      _mm_mask_storeu_epi8(out + c, mask, _mm512_cvtepi32_epi8(q));
    }
  });
}

}  // namespace pyrt
