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

// 16 weights (8 columns x a k pair) as int16 lanes: int8 sign-extended, or
// int16 as they are (Winograd-transformed filters).
inline __m256i LoadWeights(const int8_t* p) {
  return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
inline __m256i LoadWeights(const int16_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

inline __m256i BroadcastPair(const int16_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return _mm256_set1_epi32(v);
}

// sums[r] = the 16 column sums of row r over kp (even) k values (weights
// packed [kp / 2][16][2] of TB), or with
// kHalves == 1 only sums[r][0], the first 8 columns (panels whose other 8
// are padding). With one or two rows the k steps alternate between two
// accumulator sets so consecutive vpmaddwd do not wait on each other.
template <int kRows, int kHalves = 2, typename TB = int8_t>
inline void AccumulateRows(int kp, const int16_t* a, size_t a_stride, const TB* b,
                           __m256i sums[kRows][2]) {
  constexpr int kSets = kRows <= 2 ? 2 : 1;
  __m256i acc[kSets][kRows][kHalves];
  for (int s = 0; s < kSets; ++s)
    for (int r = 0; r < kRows; ++r)
      for (int h = 0; h < kHalves; ++h) acc[s][r][h] = _mm256_setzero_si256();
  const auto step = [&](int s, int k) {
    const TB* bp = b + k * 16;
    __m256i w[kHalves];
    for (int h = 0; h < kHalves; ++h) w[h] = LoadWeights(bp + 16 * h);
    for (int r = 0; r < kRows; ++r) {
      const __m256i va = BroadcastPair(a + r * a_stride + k);
      for (int h = 0; h < kHalves; ++h)
        acc[s][r][h] = _mm256_add_epi32(acc[s][r][h], _mm256_madd_epi16(va, w[h]));
    }
  };
  int k = 0;
  for (; k + 2 * kSets <= kp; k += 2 * kSets)
    for (int s = 0; s < kSets; ++s) step(s, k + 2 * s);
  for (; k < kp; k += 2) step(0, k);  // odd number of k pairs with two sets
  for (int r = 0; r < kRows; ++r) {
    for (int h = 0; h < kHalves; ++h) {
      sums[r][h] = acc[0][r][h];
      if (kSets == 2) sums[r][h] = _mm256_add_epi32(sums[r][h], acc[kSets - 1][r][h]);
    }
  }
}

}  // namespace
}  // namespace pyrt
