// Compiled with -mavx2 -mfma only; called only when the CPU has AVX2.
//
// Index i = 16 j + r. Shuffle k sees x_k = i - 16 k (bytes); vpshufb
// yields table_k[r] when x_k is in [0, 127] and 0 when its top bit is set.
// x_1..x_8 subtract with wraparound and x_9..x_15 with signed saturation,
// so that once an index below 128 has gone negative (by x_8) it stays
// negative. Then the shuffles that fire are k = max(j-7, 0) .. j, all at
// position r, and packed tables P_j = T_j ^ T_{j-1} ^ P_{j-8} (terms with
// negative index are 0) make their XOR equal T_j[r].
#include "kernels/x86/avx2/x8_lut_avx2.h"

#include <immintrin.h>

#include <cstring>

namespace pyrt {

void PackX8LutAvx2(const int8_t lut[256], uint8_t packed[256]) {
  for (int j = 0; j < 16; ++j)
    for (int r = 0; r < 16; ++r) {
      uint8_t v = static_cast<uint8_t>(lut[16 * j + r]);
      if (j >= 1) v ^= static_cast<uint8_t>(lut[16 * (j - 1) + r]);
      if (j >= 8) v ^= packed[16 * (j - 8) + r];
      packed[16 * j + r] = v;
    }
}

namespace {

inline __m256i Lookup32(const __m256i* tables, __m256i x) {
  const __m256i sixteen = _mm256_set1_epi8(16);
  __m256i y = _mm256_shuffle_epi8(tables[0], x);
  for (int k = 1; k < 16; ++k) {
    x = k <= 8 ? _mm256_sub_epi8(x, sixteen) : _mm256_subs_epi8(x, sixteen);
    y = _mm256_xor_si256(y, _mm256_shuffle_epi8(tables[k], x));
  }
  return y;
}

}  // namespace

void X8LutAvx2(const uint8_t packed[256], int64_t n, const int8_t* in, int8_t* out) {
  __m256i tables[16];
  for (int k = 0; k < 16; ++k)
    tables[k] = _mm256_broadcastsi128_si256(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(packed + 16 * k)));
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), Lookup32(tables, x));
  }
  if (i == n) return;
  alignas(32) int8_t tmp[32] = {};
  std::memcpy(tmp, in + i, static_cast<size_t>(n - i));
  const __m256i y = Lookup32(tables, _mm256_load_si256(reinterpret_cast<const __m256i*>(tmp)));
  _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), y);
  std::memcpy(out + i, tmp, static_cast<size_t>(n - i));
}

}  // namespace pyrt
