// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/x8_channel_lut_avx512.h"

#include <immintrin.h>

#include <numeric>

namespace pyrt {

namespace {

// Fewer than 16 channels: the flat tensor 16 lanes at a time, each lane's
// table offset from a pattern that repeats every lcm(channels, 16) values.
void FewChannels(const int8_t* table, int64_t channels, int64_t n, const int8_t* in, int8_t* out) {
  int32_t pattern[256 + 16];
  const int period = static_cast<int>(channels * 16 / std::gcd<int64_t>(channels, 16));
  for (int i = 0; i < period + 16; ++i) pattern[i] = static_cast<int32_t>((i % channels) * 256);
  int pos = 0;
  for (int64_t i = 0; i < n; i += 16) {
    const __mmask16 mask = n - i >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (n - i)) - 1);
    const __m512i index = _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, in + i)),
                                           _mm512_loadu_si512(pattern + pos));
    const __m512i v = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), mask, index, table, 1);
    _mm_mask_storeu_epi8(out + i, mask, _mm512_cvtepi32_epi8(v));
    pos += 16;
    if (pos >= period) pos -= period;
  }
}

}  // namespace

void X8ChannelLutAvx512(const int8_t* table, int64_t channels, int64_t rows, const int8_t* in,
                        int8_t* out) {
  if (channels < 16) return FewChannels(table, channels, rows * channels, in, out);
  // Byte offsets of 16 consecutive channels' tables; each gathered 4-byte
  // lane holds the looked-up byte in its low byte (vpmovdb keeps it).
  const __m512i lanes = _mm512_mullo_epi32(
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32(256));
  for (int64_t r = 0; r < rows; ++r, in += channels, out += channels) {
    for (int64_t c = 0; c < channels; c += 16) {
      const __mmask16 mask =
          channels - c >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (channels - c)) - 1);
      const __m512i x = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, in + c));
      const __m512i index =
          _mm512_add_epi32(_mm512_add_epi32(x, lanes), _mm512_set1_epi32(static_cast<int>(c * 256)));
      const __m512i v = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), mask, index, table, 1);
      _mm_mask_storeu_epi8(out + c, mask, _mm512_cvtepi32_epi8(v));
    }
  }
}

}  // namespace pyrt
