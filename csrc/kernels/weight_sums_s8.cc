#include "kernels/weight_sums_s8.h"

#include <cstddef>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pyrt {

void WeightRowSumsS8(const int8_t* w, int64_t rows, int64_t K, int32_t* sums) {
  for (int64_t r = 0; r < rows; ++r, w += K) {
    uint32_t sum = 0;  // unsigned: wrapping is defined
    int64_t k = 0;
#if defined(__SSE2__)
    // psadbw sums 8 unsigned bytes per instruction: add 128 to each value
    // (flip the sign bit), sum, and take 128 per value back off.
    const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80));
    __m128i acc = _mm_setzero_si128();
    for (; k + 16 <= K; k += 16) {
      const __m128i v = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + k)), flip);
      acc = _mm_add_epi64(acc, _mm_sad_epu8(v, _mm_setzero_si128()));
    }
    sum = static_cast<uint32_t>(_mm_cvtsi128_si32(acc)) +
          static_cast<uint32_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(acc, acc))) -
          static_cast<uint32_t>(128 * k);
#endif
    for (; k < K; ++k) sum += static_cast<uint32_t>(static_cast<int32_t>(w[k]));
    sums[r] = static_cast<int32_t>(sum);
  }
}

std::vector<int32_t> FoldInputZeroPoint(std::vector<int32_t> bias, const int8_t* filter, int K,
                                        int32_t input_zero_point) {
  std::vector<int32_t> sums(bias.size());
  WeightRowSumsS8(filter, static_cast<int64_t>(bias.size()), K, sums.data());
  for (size_t c = 0; c < bias.size(); ++c) {
    bias[c] = static_cast<int32_t>(static_cast<uint32_t>(bias[c]) -
                                   static_cast<uint32_t>(input_zero_point) * static_cast<uint32_t>(sums[c]));
  }
  return bias;
}

}  // namespace pyrt
