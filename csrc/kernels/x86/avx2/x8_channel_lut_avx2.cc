// Compiled with the avx2 path's flags; called only when the CPU has them.
#include "kernels/x86/avx2/x8_channel_lut_avx2.h"

#include <immintrin.h>

#include <cstring>

namespace pyrt {

void X8ChannelLutAvx2(const int8_t* table, int64_t channels, int64_t rows, const int8_t* in,
                      int8_t* out) {
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
