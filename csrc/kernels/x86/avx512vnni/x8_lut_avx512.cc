// Compiled with the avx512vnni path's flags; called only when the CPU has them.
// The index arithmetic is that of kernels/x86/avx2/x8_lut_avx2.cc.
#include "kernels/x86/avx512vnni/x8_lut_avx512.h"

#include <immintrin.h>

namespace pyrt {
namespace {

inline __m512i Lookup64(const __m512i* tables, __m512i x) {
  const __m512i sixteen = _mm512_set1_epi8(16);
  __m512i y = _mm512_shuffle_epi8(tables[0], x);
  for (int k = 1; k < 16; ++k) {
    x = k <= 8 ? _mm512_sub_epi8(x, sixteen) : _mm512_subs_epi8(x, sixteen);
    y = _mm512_xor_si512(y, _mm512_shuffle_epi8(tables[k], x));
  }
  return y;
}

}  // namespace

void X8LutAvx512(const uint8_t packed[256], int64_t n, const int8_t* in, int8_t* out) {
  __m512i tables[16];
  for (int k = 0; k < 16; ++k)
    tables[k] = _mm512_broadcast_i32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(packed + 16 * k)));
  int64_t i = 0;
  for (; i + 64 <= n; i += 64)
    _mm512_storeu_si512(out + i, Lookup64(tables, _mm512_loadu_si512(in + i)));
  if (i == n) return;
  const __mmask64 tail = (__mmask64{1} << (n - i)) - 1;  // n - i < 64
  _mm512_mask_storeu_epi8(out + i, tail, Lookup64(tables, _mm512_maskz_loadu_epi8(tail, in + i)));
}

}  // namespace pyrt
