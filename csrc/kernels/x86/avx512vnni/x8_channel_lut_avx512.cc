// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/x8_channel_lut_avx512.h"

#include <immintrin.h>

namespace pyrt {

void X8ChannelLutAvx512(const int8_t* table, int64_t channels, int64_t rows, const int8_t* in,
                        int8_t* out) {
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
