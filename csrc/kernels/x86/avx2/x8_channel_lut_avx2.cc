// Compiled with the avx2 path's flags; called only when the CPU has them.
#include "kernels/x86/avx2/x8_channel_lut_avx2.h"

#include <immintrin.h>

#include <cstring>
#include <numeric>

namespace pyrt {

namespace {

// Fewer than 8 channels: the flat tensor 8 lanes at a time, each lane's
// table offset from a pattern that repeats every lcm(channels, 8) values.
void FewChannels(const int8_t* table, int64_t channels, int64_t n, const int8_t* in, int8_t* out) {
  const __m256i low_bytes = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                             0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  int32_t pattern[64 + 8];
  const int period = static_cast<int>(channels * 8 / std::gcd<int64_t>(channels, 8));
  for (int i = 0; i < period + 8; ++i) pattern[i] = static_cast<int32_t>((i % channels) * 256);
  const int* base = reinterpret_cast<const int*>(table);
  int pos = 0;
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    int64_t x8;
    std::memcpy(&x8, in + i, 8);
    const __m256i index = _mm256_add_epi32(_mm256_cvtepu8_epi32(_mm_cvtsi64_si128(x8)),
                                           _mm256_loadu_si256(reinterpret_cast<const __m256i*>(pattern + pos)));
    const __m256i v = _mm256_shuffle_epi8(_mm256_i32gather_epi32(base, index, 1), low_bytes);
    const int32_t lo = _mm256_extract_epi32(v, 0), hi = _mm256_extract_epi32(v, 4);
    std::memcpy(out + i, &lo, 4);
    std::memcpy(out + i + 4, &hi, 4);
    pos += 8;
    if (pos >= period) pos -= period;
  }
  for (; i < n; ++i) out[i] = table[(i % channels) * 256 + static_cast<uint8_t>(in[i])];
}

}  // namespace

void X8ChannelLutAvx2(const int8_t* table, int64_t channels, int64_t rows, const int8_t* in,
                      int8_t* out) {
  if (channels < 8) return FewChannels(table, channels, rows * channels, in, out);
  // Byte offsets of 8 consecutive channels' tables; the gather's 4-byte
  // lanes hold each looked-up byte in their low byte.
  const __m256i lanes = _mm256_setr_epi32(0, 256, 512, 768, 1024, 1280, 1536, 1792);
  const __m256i low_bytes = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                             0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const int* base = reinterpret_cast<const int*>(table);
  for (int64_t r = 0; r < rows; ++r, in += channels, out += channels) {
    int64_t c = 0;
    for (; c + 8 <= channels; c += 8) {
      int64_t x8;
      std::memcpy(&x8, in + c, 8);
      const __m256i x = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(x8));
      const __m256i index =
          _mm256_add_epi32(_mm256_add_epi32(x, lanes), _mm256_set1_epi32(static_cast<int>(c * 256)));
      const __m256i v = _mm256_shuffle_epi8(_mm256_i32gather_epi32(base, index, 1), low_bytes);
      const int32_t lo = _mm256_extract_epi32(v, 0), hi = _mm256_extract_epi32(v, 4);
      std::memcpy(out + c, &lo, 4);
      std::memcpy(out + c + 4, &hi, 4);
    }
    for (; c < channels; ++c) out[c] = table[c * 256 + static_cast<uint8_t>(in[c])];
  }
}

}  // namespace pyrt
