// Compiled with the avx512vnni path's flags; called only when the CPU has them.
#include "kernels/x86/avx512vnni/qs8_vsqrdiff_avx512.h"

#include <immintrin.h>

#include "kernels/x86/avx512vnni/requant_avx512vnni.h"

namespace pyrt {
namespace {

// The rescaled inputs of up to 16 lanes: a table lookup per lane, or one
// value for a broadcast operand (step 0).
inline __m512i Scaled(const int32_t* table, const int8_t* p, int64_t step, __mmask16 mask) {
  if (!step) return _mm512_set1_epi32(table[static_cast<uint8_t>(*p)]);
  const __m512i index = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, p));
  return _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), mask, index, table, 4);
}

}  // namespace

void Qs8SquaredDifferenceRowAvx512(const SquaredDifferenceTables& t, const int8_t* a, int64_t sa,
                                   const int8_t* b, int64_t sb, int8_t* out, int64_t n) {
  const __m512i m = _mm512_set1_epi32(t.output_multiplier);
  const __m512i m_odd = _mm512_srli_epi64(m, 32);
  const int shift = -t.output_shift;  // 0..31
  const __m512i mask_bits = _mm512_set1_epi32(static_cast<int32_t>((int64_t{1} << shift) - 1));
  const __m512i half = _mm512_srli_epi32(mask_bits, 1);
  const __m512i count = _mm512_set1_epi32(shift);
  const __m512i zo = _mm512_set1_epi32(t.output_offset);
  for (int64_t i = 0; i < n; i += 16) {
    const __mmask16 mask = n - i >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (n - i)) - 1);
    // |difference| <= 255 * 2^7 * (multiplier < 1): the square fits in int32
    // and is >= 0, so the high multiply never saturates.
    const __m512i d = _mm512_sub_epi32(Scaled(t.scaled1, a + i * sa, sa, mask),
                                       Scaled(t.scaled2, b + i * sb, sb, mask));
    const __m512i sq = _mm512_mullo_epi32(d, d);
    const __m512i v = _mm512_add_epi32(Rdbpot(Srdhm<false>(sq, m, m_odd), mask_bits, half, count), zo);
    _mm_mask_storeu_epi8(out + i, mask, _mm512_cvtsepi32_epi8(v));
  }
}

}  // namespace pyrt
