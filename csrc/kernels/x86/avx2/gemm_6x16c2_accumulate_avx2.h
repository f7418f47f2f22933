// The int32 accumulation shared by the 6x16c2 AVX2 GEMMs (int8 output and
// hybrid float output): weights packed as k pairs x 16 columns, activations
// as int16. Include only from translation units compiled with -mavx2
// (everything here is inline, in an unnamed namespace).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace pyrt {
namespace {

// 16 int8 weights (8 columns x a k pair) sign-extended to int16 lanes.
inline __m256i LoadWeights(const int8_t* p) {
  return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

inline __m256i BroadcastPair(const int16_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return _mm256_set1_epi32(v);
}

// sums[r] = the 16 column sums of row r over kp (even) k values. With one or
// two rows the k steps alternate between two accumulator sets so consecutive
// vpmaddwd do not wait on each other.
template <int kRows>
inline void AccumulateRows(int kp, const int16_t* a, size_t a_stride, const int8_t* b,
                           __m256i sums[kRows][2]) {
  constexpr int kSets = kRows <= 2 ? 2 : 1;
  __m256i acc[kSets][kRows][2];
  for (int s = 0; s < kSets; ++s)
    for (int r = 0; r < kRows; ++r) acc[s][r][0] = acc[s][r][1] = _mm256_setzero_si256();
  int k = 0;
  for (; k + 2 * kSets <= kp; k += 2 * kSets) {
    for (int s = 0; s < kSets; ++s) {
      const int8_t* bp = b + (k + 2 * s) * 16;
      const __m256i b0 = LoadWeights(bp), b1 = LoadWeights(bp + 16);
      for (int r = 0; r < kRows; ++r) {
        const __m256i va = BroadcastPair(a + r * a_stride + k + 2 * s);
        acc[s][r][0] = _mm256_add_epi32(acc[s][r][0], _mm256_madd_epi16(va, b0));
        acc[s][r][1] = _mm256_add_epi32(acc[s][r][1], _mm256_madd_epi16(va, b1));
      }
    }
  }
  for (; k < kp; k += 2) {  // odd number of k pairs with two sets
    const int8_t* bp = b + k * 16;
    const __m256i b0 = LoadWeights(bp), b1 = LoadWeights(bp + 16);
    for (int r = 0; r < kRows; ++r) {
      const __m256i va = BroadcastPair(a + r * a_stride + k);
      acc[0][r][0] = _mm256_add_epi32(acc[0][r][0], _mm256_madd_epi16(va, b0));
      acc[0][r][1] = _mm256_add_epi32(acc[0][r][1], _mm256_madd_epi16(va, b1));
    }
  }
  for (int r = 0; r < kRows; ++r) {
    sums[r][0] = acc[0][r][0];
    sums[r][1] = acc[0][r][1];
    if (kSets == 2) sums[r][0] = _mm256_add_epi32(sums[r][0], acc[kSets - 1][r][0]);
    if (kSets == 2) sums[r][1] = _mm256_add_epi32(sums[r][1], acc[kSets - 1][r][1]);
  }
}

}  // namespace
}  // namespace pyrt
