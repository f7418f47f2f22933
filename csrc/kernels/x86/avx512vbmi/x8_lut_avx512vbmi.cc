// Compiled with AVX-512 F/BW/VL/DQ/VBMI flags; called only when the CPU has
// VBMI (CpuHasAvx512Vbmi) within the avx512vnni path.
#include "kernels/x86/avx512vbmi/x8_lut_avx512vbmi.h"

#include <immintrin.h>

namespace pyrt {
namespace {

// t[0..1]: entries 0-127, t[2..3]: 128-255. vpermt2b reads the index's low
// 7 bits (bit 6 picks the register).
inline __m512i Lookup64(const __m512i* t, __m512i x) {
  const __m512i low = _mm512_permutex2var_epi8(t[0], x, t[1]);
  const __m512i high = _mm512_permutex2var_epi8(t[2], x, t[3]);
  return _mm512_mask_blend_epi8(_mm512_movepi8_mask(x), low, high);
}

}  // namespace

void X8LutAvx512Vbmi(const int8_t lut[256], int64_t n, const int8_t* in, int8_t* out) {
  __m512i t[4];
  for (int k = 0; k < 4; ++k) t[k] = _mm512_loadu_si512(lut + 64 * k);
  int64_t i = 0;
  for (; i + 64 <= n; i += 64)
    _mm512_storeu_si512(out + i, Lookup64(t, _mm512_loadu_si512(in + i)));
  if (i == n) return;
  const __mmask64 tail = (__mmask64{1} << (n - i)) - 1;  // n - i < 64
  _mm512_mask_storeu_epi8(out + i, tail, Lookup64(t, _mm512_maskz_loadu_epi8(tail, in + i)));
}

}  // namespace pyrt
