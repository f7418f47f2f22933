// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/softmax_s8/avx512vnni/softmax_s8_table_avx512.h"

#include <immintrin.h>

#include "kernels/x86/avx512vnni/requant_avx512vnni.h"

namespace pyrt {
namespace {

inline __mmask16 TailMask(int n) { return n >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << n) - 1); }

// max - x of up to 16 lanes (0..255: the table index).
inline __m512i Differences(__m512i max, const int8_t* p, __mmask16 mask) {
  return _mm512_sub_epi32(max, _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, p)));
}

// The wrapping int32 sum of 16 lanes. (_mm512_reduce_add_epi32 adds as
// signed int in GCC's headers: undefined on overflow, and UBSan reports it.)
inline int32_t WrappingSum16(__m512i v) {
  __m256i s8 = _mm256_add_epi32(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
  __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s8), _mm256_extracti128_si256(s8, 1));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, _MM_SHUFFLE(1, 0, 3, 2)));
  s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(s4);
}

}  // namespace

void SoftmaxS8TabulatedAvx512(const SoftmaxS8Table& t, int64_t rows, int depth, const int8_t* input,
                              int8_t* output) {
  for (int64_t r = 0; r < rows; ++r) {
    const int8_t* in = input + r * depth;
    int8_t* out = output + r * depth;
    __m512i mx = _mm512_set1_epi32(-128);
    for (int c = 0; c < depth; c += 16) {
      const __mmask16 mask = TailMask(depth - c);
      mx = _mm512_mask_max_epi32(mx, mask, mx, _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, in + c)));
    }
    const __m512i max = _mm512_set1_epi32(_mm512_reduce_max_epi32(mx));
    // The reference's int32 sum wraps; wrapping addition does not depend on
    // the order, so lane-wise partial sums give the same total.
    __m512i sum = _mm512_setzero_si512();
    for (int c = 0; c < depth; c += 16) {
      const __mmask16 mask = TailMask(depth - c);
      sum = _mm512_add_epi32(
          sum, _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), mask, Differences(max, in + c, mask),
                                           t.exp_q12, 4));
    }
    int32_t scale;
    int exponent;  // 0..31
    SoftmaxS8Reciprocal(WrappingSum16(sum), &scale, &exponent);
    const __m512i s = _mm512_set1_epi32(scale), s_odd = _mm512_srli_epi64(s, 32);
    const __m512i round_mask = _mm512_set1_epi32(static_cast<int32_t>((int64_t{1} << exponent) - 1));
    const __m512i half = _mm512_srli_epi32(round_mask, 1), count = _mm512_set1_epi32(exponent);
    const __m512i offset = _mm512_set1_epi32(-128);
    for (int c = 0; c < depth; c += 16) {
      const __mmask16 mask = TailMask(depth - c);
      const __m512i e = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), mask,
                                                    Differences(max, in + c, mask), t.exp, 4);
      // exp values are >= 0, never INT32_MIN: the high multiply cannot saturate.
      const __m512i v = Rdbpot(Srdhm<false>(e, s, s_odd), round_mask, half, count);
      _mm_mask_storeu_epi8(out + c, mask, _mm512_cvtsepi32_epi8(_mm512_add_epi32(v, offset)));
    }
  }
}

}  // namespace pyrt
