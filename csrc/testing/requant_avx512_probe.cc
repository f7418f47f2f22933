// Test entry: the AVX-512 requantization forms on raw int32 sums, so their
// results can be compared with the reference before any narrowing to int8.
// Built for the test module with the avx512vnni path's instructions enabled
// here (pragma); call only when the CPU has them.
#if defined(__x86_64__)
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")
#include "testing/requant_probe.h"

#include <immintrin.h>

#include <vector>

#include "kernels/packed_requant.h"
#include "kernels/x86/avx512vnni/requant_avx512vnni.h"

namespace pyrt {

bool RequantAvx512Probe(bool merged, const int32_t* x, int n, const int32_t* multiplier,
                        const int32_t* shift, int32_t zero_point, int32_t* out) {
  std::vector<int32_t> block(GemmlowpRequantBytes(16) / 4);
  Qs8GemmEpilogue scalars = EpilogueScalars(zero_point, -128, 127);
  for (int j = 0; j < 16; ++j)
    WriteGemmlowpRequant(block.data(), 16, j, 0, multiplier[j], shift[j], scalars);
  const Qs8GemmEpilogue ep =
      RequantView(scalars, reinterpret_cast<const int8_t*>(block.data()), 16);
  if (merged && (scalars.any_left_shift || scalars.any_int32_min_multiplier ||
                 !scalars.right_shifts_1_to_23))
    return false;  // the merged form does not apply to these channels
  for (int i = 0; i + 16 <= n; i += 16) {
    const __m512i v = _mm512_loadu_si512(x + i);
    const __m512i r = merged ? GemmlowpRequant16Merged(ep, 0)(v)
                             : GemmlowpRequant16<true, true>(ep, 0)(v);
    _mm512_storeu_si512(out + i, r);
  }
  return true;
}

}  // namespace pyrt
#endif
