// Compiled with -mavx2 -mfma only (see CMakeLists.txt); called only when
// the CPU has AVX2.
#include "kernels/pool_s8/avx2/max_pool_s8_avx2.h"

#include <immintrin.h>

#include <algorithm>

#include "kernels/pool_s8/pool_windows.h"

namespace pyrt {
namespace {

// The window's maximum of `Lanes` channels from `c`, starting from -128 as
// the reference does (an empty window gives -128 before the clamp).
template <typename Vec, typename Load, typename Max>
inline Vec WindowMax(const int8_t* image, int in_w, int C, int y0, int y1, int x0, int x1, int c,
                     Vec init, Load load, Max max) {
  Vec m = init;
  for (int y = y0; y < y1; ++y) {
    const int8_t* px = image + (static_cast<size_t>(y) * in_w + x0) * C + c;
    for (int x = x0; x < x1; ++x, px += C) m = max(m, load(px));
  }
  return m;
}

}  // namespace

void MaxPoolS8Avx2(const PoolGeometry& g, const int8_t* input, int8_t* output) {
  const int C = g.channels, in_w = g.in_w;
  const __m256i lo32 = _mm256_set1_epi8(static_cast<int8_t>(g.act_min));
  const __m256i hi32 = _mm256_set1_epi8(static_cast<int8_t>(g.act_max));
  const __m128i lo16 = _mm256_castsi256_si128(lo32), hi16 = _mm256_castsi256_si128(hi32);
  const __m256i min32 = _mm256_set1_epi8(-128);
  const __m128i min16 = _mm256_castsi256_si128(min32);
  const auto load32 = [](const int8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); };
  const auto load16 = [](const int8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); };
  const auto load8 = [](const int8_t* p) { return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)); };
  const auto max32 = [](__m256i a, __m256i b) { return _mm256_max_epi8(a, b); };
  const auto max16 = [](__m128i a, __m128i b) { return _mm_max_epi8(a, b); };
  ForEachPoolWindow(g, input, output, [&](const int8_t* image, int y0, int y1, int x0, int x1, int8_t* out) {
    int c = 0;
    for (; c + 32 <= C; c += 32) {
      const __m256i m = WindowMax(image, in_w, C, y0, y1, x0, x1, c, min32, load32, max32);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + c), _mm256_min_epi8(_mm256_max_epi8(m, lo32), hi32));
    }
    for (; c + 16 <= C; c += 16) {
      const __m128i m = WindowMax(image, in_w, C, y0, y1, x0, x1, c, min16, load16, max16);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + c), _mm_min_epi8(_mm_max_epi8(m, lo16), hi16));
    }
    if (c == C) return;
    if (C < 8) {  // no full step: the scalar loop
      for (; c < C; ++c) {
        int m = -128;
        for (int y = y0; y < y1; ++y)
          for (int x = x0; x < x1; ++x) m = std::max<int>(m, image[(static_cast<size_t>(y) * in_w + x) * C + c]);
        out[c] = static_cast<int8_t>(std::min(std::max(m, g.act_min), g.act_max));
      }
      return;
    }
    // Steps of 8; the last one may overlap the previous (same values again).
    for (;; c += 8) {
      c = std::min(c, C - 8);
      const __m128i m = WindowMax(image, in_w, C, y0, y1, x0, x1, c, min16, load8, max16);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(out + c), _mm_min_epi8(_mm_max_epi8(m, lo16), hi16));
      if (c == C - 8) return;
    }
  });
}

}  // namespace pyrt
