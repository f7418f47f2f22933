// Compiled with the avx2 path's flags; called only when the CPU has them.
#include "kernels/softmax_s8/avx2/softmax_s8_table_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/x86/avx2/requant_avx2.h"
#include "quant/fixed_point.h"
#include "quant/gemmlowp_math.h"

namespace pyrt {
namespace {

// max - x of 8 lanes (0..255: the table index).
inline __m256i Differences8(__m256i max, const int8_t* p) {
  int64_t x8;
  std::memcpy(&x8, p, 8);
  return _mm256_sub_epi32(max, _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(x8)));
}

inline int32_t HorizontalAdd(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s);
}

}  // namespace

void SoftmaxS8TabulatedAvx2(const SoftmaxS8Table& t, int64_t rows, int depth, const int8_t* input,
                            int8_t* output) {
  for (int64_t r = 0; r < rows; ++r) {
    const int8_t* in = input + r * depth;
    int8_t* out = output + r * depth;
    int c = 0;
    __m256i mx8 = _mm256_set1_epi8(-128);
    for (; c + 32 <= depth; c += 32)
      mx8 = _mm256_max_epi8(mx8, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + c)));
    alignas(32) int8_t lanes[32];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), mx8);
    int32_t max_in_row = *std::max_element(lanes, lanes + 32);
    for (; c < depth; ++c) max_in_row = std::max<int32_t>(max_in_row, in[c]);
    const __m256i max = _mm256_set1_epi32(max_in_row);
    // The reference's int32 sum wraps; wrapping addition does not depend on
    // the order, so lane-wise partial sums give the same total.
    __m256i sum8 = _mm256_setzero_si256();
    for (c = 0; c + 8 <= depth; c += 8)
      sum8 = _mm256_add_epi32(sum8, _mm256_i32gather_epi32(t.exp_q12, Differences8(max, in + c), 4));
    int32_t sum = HorizontalAdd(sum8);
    for (; c < depth; ++c) sum = WrappingAdd(sum, t.exp_q12[max_in_row - in[c]]);
    int32_t scale;
    int exponent;  // 0..31
    SoftmaxS8Reciprocal(sum, &scale, &exponent);
    const __m256i s = _mm256_set1_epi32(scale);
    const __m256i round_mask = _mm256_set1_epi32(static_cast<int32_t>((int64_t{1} << exponent) - 1));
    const __m256i count = _mm256_set1_epi32(exponent);
    const __m256i offset = _mm256_set1_epi32(-128);
    for (c = 0; c + 8 <= depth; c += 8) {
      const __m256i e = _mm256_i32gather_epi32(t.exp, Differences8(max, in + c), 4);
      // exp values are >= 0, never INT32_MIN: the high multiply cannot saturate.
      const __m256i v = _mm256_add_epi32(RdbpotAvx2(SrdhmNoSaturationAvx2(e, s), round_mask, count), offset);
      const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
      const int64_t bytes = _mm_cvtsi128_si64(_mm_packs_epi16(w, w));
      std::memcpy(out + c, &bytes, 8);
    }
    for (; c < depth; ++c) {
      const int32_t unsat = RoundingDivideByPOT(
          SaturatingRoundingDoublingHighMul(scale, t.exp[max_in_row - in[c]]), exponent);
      out[c] = static_cast<int8_t>(std::min(std::max(unsat - 128, -128), 127));
    }
  }
}

}  // namespace pyrt
