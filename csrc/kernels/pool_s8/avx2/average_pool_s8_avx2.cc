// Compiled with the avx2 path's flags; called only when the CPU has them.
#include "kernels/pool_s8/avx2/average_pool_s8_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/pool_s8/pool_windows.h"

namespace pyrt {

void AveragePoolS8Avx2(const PoolGeometry& g, const int8_t* input, int8_t* output, uint8_t*) {
  const int C = g.channels;
  const __m256i act_min = _mm256_set1_epi32(g.act_min), act_max = _mm256_set1_epi32(g.act_max);
  const __m256i one = _mm256_set1_epi32(1);
  ForEachPoolWindow(g, input, output, [&](const int8_t* image, int y_begin, int y_end,
                                         int x_begin, int x_end, int8_t* out) {
    const int count = (y_end - y_begin) * (x_end - x_begin);
    const __m256i cnt = _mm256_set1_epi32(count), half = _mm256_set1_epi32(count / 2);
    const __m256 inv = _mm256_set1_ps(1.0f / static_cast<float>(count));
    int c = 0;
    for (; c + 8 <= C; c += 8) {
      __m256i acc = _mm256_setzero_si256();
      for (int y = y_begin; y < y_end; ++y) {
        const int8_t* row = image + (static_cast<size_t>(y) * g.in_w) * C + c;
        for (int x = x_begin; x < x_end; ++x) {
          int64_t v;
          std::memcpy(&v, row + static_cast<size_t>(x) * C, 8);
          acc = _mm256_add_epi32(acc, _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(v)));
        }
      }
      // (|a| + count / 2) / count with the sign of a, as the reference's
      // truncating division; the float quotient is off by at most one.
      const __m256i n = _mm256_add_epi32(_mm256_abs_epi32(acc), half);
      __m256i q = _mm256_cvttps_epi32(_mm256_mul_ps(_mm256_cvtepi32_ps(n), inv));
      // cmpgt gives -1 where true: subtracting it adds one.
      q = _mm256_sub_epi32(q, _mm256_cmpgt_epi32(_mm256_add_epi32(n, one), _mm256_mullo_epi32(_mm256_add_epi32(q, one), cnt)));
      q = _mm256_add_epi32(q, _mm256_cmpgt_epi32(_mm256_mullo_epi32(q, cnt), n));
      q = _mm256_sign_epi32(q, acc);
      q = _mm256_min_epi32(_mm256_max_epi32(q, act_min), act_max);
      const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
      const int64_t bytes = _mm_cvtsi128_si64(_mm_packs_epi16(w, w));
      std::memcpy(out + c, &bytes, 8);
    }
    for (; c < C; ++c) {
      int32_t a = 0;
      for (int y = y_begin; y < y_end; ++y)
        for (int x = x_begin; x < x_end; ++x) a += image[(static_cast<size_t>(y) * g.in_w + x) * C + c];
      int32_t v = a > 0 ? (a + count / 2) / count : (a - count / 2) / count;
      out[c] = static_cast<int8_t>(std::min(std::max(v, g.act_min), g.act_max));
    }
  });
}

}  // namespace pyrt
