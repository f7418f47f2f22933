// Compiled with the avx2 path's flags; called only when the CPU has them.
#include "kernels/x86/avx2/qs8_vsqrdiff_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/x86/avx2/requant_avx2.h"

namespace pyrt {
namespace {

// The rescaled inputs of 8 lanes: a table lookup per lane, or one value for
// a broadcast operand (step 0).
inline __m256i Scaled8(const int32_t* table, const int8_t* p, int64_t step) {
  if (!step) return _mm256_set1_epi32(table[static_cast<uint8_t>(*p)]);
  int64_t x8;
  std::memcpy(&x8, p, 8);
  return _mm256_i32gather_epi32(table, _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(x8)), 4);
}

}  // namespace

void Qs8SquaredDifferenceRowAvx2(const SquaredDifferenceTables& t, const int8_t* a, int64_t sa,
                                 const int8_t* b, int64_t sb, int8_t* out, int64_t n) {
  const __m256i m = _mm256_set1_epi32(t.output_multiplier);
  const int shift = -t.output_shift;  // 0..31
  const __m256i mask = _mm256_set1_epi32(static_cast<int32_t>((int64_t{1} << shift) - 1));
  const __m256i count = _mm256_set1_epi32(shift);
  const __m256i zo = _mm256_set1_epi32(t.output_offset);
  int64_t i = 0;
  auto step = [&](const int8_t* pa, const int8_t* pb, int8_t* po, int count_out) {
    // |difference| <= 255 * 2^7: the square fits in int32 and is >= 0, so the
    // high multiply never saturates.
    const __m256i d = _mm256_sub_epi32(Scaled8(t.scaled1, pa, sa), Scaled8(t.scaled2, pb, sb));
    const __m256i v = _mm256_add_epi32(
        RdbpotAvx2(SrdhmNoSaturationAvx2(_mm256_mullo_epi32(d, d), m), mask, count), zo);
    const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    const int64_t bytes = _mm_cvtsi128_si64(_mm_packs_epi16(w, w));
    std::memcpy(po, &bytes, count_out);
  };
  for (; i + 8 <= n; i += 8) step(a + i * sa, b + i * sb, out + i, 8);
  if (i < n) {
    // The tail through 8-value copies, so no load reads past the row.
    int8_t ta[8] = {}, tb[8] = {};
    const int rest = static_cast<int>(n - i);
    std::memcpy(ta, a + i * sa, sa ? rest : 1);
    std::memcpy(tb, b + i * sb, sb ? rest : 1);
    step(ta, tb, out + i, rest);
  }
}

}  // namespace pyrt
