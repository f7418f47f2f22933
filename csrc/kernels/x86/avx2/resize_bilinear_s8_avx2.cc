// Compiled with -mavx2 -mfma only (see CMakeLists.txt); called only when
// the CPU has AVX2.
#include "kernels/x86/avx2/resize_bilinear_s8_avx2.h"

#include <immintrin.h>

#include "kernels/reference/resize.h"

namespace pyrt {
namespace {

inline __m256i Load8S8(const int8_t* p) {
  return _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
}

// The reference's int32 arithmetic on 8 channels: the weighted sum (exact:
// it stays below 2^30 in magnitude), + or - 2^19 by its sign, truncating
// division by 2^20, then the low byte of each lane (the reference's cast).
inline void Pixel8(const int8_t* p00, const int8_t* p01, const int8_t* p10, const int8_t* p11,
                   __m256i w00, __m256i w01, __m256i w10, __m256i w11, int8_t* out) {
  __m256i v = _mm256_mullo_epi32(Load8S8(p00), w00);
  v = _mm256_add_epi32(v, _mm256_mullo_epi32(Load8S8(p10), w10));
  v = _mm256_add_epi32(v, _mm256_mullo_epi32(Load8S8(p01), w01));
  v = _mm256_add_epi32(v, _mm256_mullo_epi32(Load8S8(p11), w11));
  const __m256i positive = _mm256_cmpgt_epi32(v, _mm256_setzero_si256());
  const __m256i round = _mm256_sub_epi32(_mm256_and_si256(positive, _mm256_set1_epi32(1 << 20)),
                                         _mm256_set1_epi32(1 << 19));
  const __m256i t = _mm256_add_epi32(v, round);
  // t / 2^20 rounded toward zero: negative t first gains 2^20 - 1.
  const __m256i toward_zero = _mm256_srli_epi32(_mm256_srai_epi32(t, 31), 12);
  const __m256i q = _mm256_srai_epi32(_mm256_add_epi32(t, toward_zero), 20);
  const __m256i low_bytes = _mm256_shuffle_epi8(
      q, _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,  //
                          0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
  const __m256i packed = _mm256_permutevar8x32_epi32(low_bytes, _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(packed));
}

}  // namespace

void BilinearRowS8Avx2(const int8_t* r0, const int8_t* r1, int32_t wy, const int32_t* x_pos,
                       const int32_t* x_lo, const int32_t* x_hi, int64_t out_w, int64_t c,
                       int8_t* out) {
  if (c < 8) {  // no full vector of channels
    BilinearRowS8(r0, r1, wy, x_pos, x_lo, x_hi, out_w, c, out);
    return;
  }
  constexpr int32_t kOne = 1 << 10;
  for (int64_t x = 0; x < out_w; ++x, out += c) {
    const int32_t wx = x_pos[x] - kOne * x_lo[x];
    const __m256i w00 = _mm256_set1_epi32((kOne - wy) * (kOne - wx));
    const __m256i w10 = _mm256_set1_epi32(wy * (kOne - wx));
    const __m256i w01 = _mm256_set1_epi32((kOne - wy) * wx);
    const __m256i w11 = _mm256_set1_epi32(wy * wx);
    const int8_t* p00 = r0 + x_lo[x] * c;
    const int8_t* p01 = r0 + x_hi[x] * c;
    const int8_t* p10 = r1 + x_lo[x] * c;
    const int8_t* p11 = r1 + x_hi[x] * c;
    // Channels in 8s; the last step overlaps the previous one when c is
    // not a multiple of 8 (it recomputes the same values).
    for (int64_t k = 0;; k += 8) {
      if (k > c - 8) k = c - 8;
      Pixel8(p00 + k, p01 + k, p10 + k, p11 + k, w00, w01, w10, w11, out + k);
      if (k == c - 8) break;
    }
  }
}

}  // namespace pyrt
