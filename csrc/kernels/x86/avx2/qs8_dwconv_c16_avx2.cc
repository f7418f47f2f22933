// Compiled with -mavx2 -mfma only; called only when the CPU has AVX2.
#include "kernels/x86/avx2/qs8_dwconv_c16_avx2.h"

#include <immintrin.h>

#include <cstring>

#include "kernels/x86/avx2/requant_avx2.h"

namespace pyrt {
namespace {

// n (<= 16) int8 values sign-extended to int16 lanes; lanes past n are 0.
inline __m256i Load16(const int8_t* p, int n) {
  if (n == 16) return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  alignas(16) int8_t tmp[16] = {};
  std::memcpy(tmp, p, n);
  return _mm256_cvtepi8_epi16(_mm_load_si128(reinterpret_cast<const __m128i*>(tmp)));
}

// One output pixel, channels [c, c + n).
inline void Pixel(const ConvGeometry& g, const int8_t* image, const int8_t* filter, int oy, int ox,
                  int c, int n, __m256i zero_point, const Qs8GemmEpilogue& ep, int8_t* out) {
  __m256i acc0 = _mm256_setzero_si256(), acc1 = acc0;  // channels [0-3|8-11], [4-7|12-15]
  for (int fy = 0; fy < g.filter_h; ++fy) {
    const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
    if (iy < 0 || iy >= g.in_h) continue;
    for (int fx = 0; fx < g.filter_w; ++fx) {
      const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
      if (ix < 0 || ix >= g.in_w) continue;
      const __m256i x = _mm256_sub_epi16(
          Load16(image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c + c, n), zero_point);
      const __m256i w = Load16(filter + (fy * g.filter_w + fx) * g.in_c + c, n);
      const __m256i lo = _mm256_mullo_epi16(x, w), hi = _mm256_mulhi_epi16(x, w);
      acc0 = _mm256_add_epi32(acc0, _mm256_unpacklo_epi16(lo, hi));
      acc1 = _mm256_add_epi32(acc1, _mm256_unpackhi_epi16(lo, hi));
    }
  }
  const __m256i v0 = _mm256_permute2x128_si256(acc0, acc1, 0x20);
  const __m256i v1 = _mm256_permute2x128_si256(acc0, acc1, 0x31);
  Store16(RequantGemmlowp(v0, ep, c), RequantGemmlowp(v1, ep, c + 8), ep, n, out);
}

}  // namespace

void Qs8DwConvC16Avx2(const ConvGeometry& g, const int8_t* input, const int8_t* filter,
                      int32_t input_zero_point, const Qs8GemmEpilogue& ep, int8_t* output,
                      int row0, int row1) {
  const __m256i zero_point = _mm256_set1_epi16(static_cast<int16_t>(input_zero_point));
  const int C = g.in_c;
  for (int row = row0; row < row1; ++row) {
    const int b = row / g.out_h, oy = row % g.out_h;
    const int8_t* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    int8_t* out = output + static_cast<size_t>(row) * g.out_w * C;
    for (int ox = 0; ox < g.out_w; ++ox) {
      for (int c = 0; c < C; c += 16) {
        const int n = C - c < 16 ? C - c : 16;
        Pixel(g, image, filter, oy, ox, c, n, zero_point, ep, out + static_cast<size_t>(ox) * C + c);
      }
    }
  }
}

}  // namespace pyrt
