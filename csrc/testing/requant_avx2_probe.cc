// Test entry: the AVX2 requantization (the form the block's facts pick) on
// raw int32 sums (see requant_probe.h). Built for the test module with the
// avx2 path's instructions enabled here (pragma); call only when the CPU has
// them.
#if defined(__x86_64__)
#pragma GCC target("avx2,fma")
#include <immintrin.h>

#include "kernels/x86/avx2/requant_avx2.h"
#include "testing/requant_probe.h"

namespace pyrt {

bool RequantAvx2Probe(bool merged, const int32_t* x, int n, const int32_t* multiplier,
                      const int32_t* shift, int32_t zero_point, int32_t* out) {
  if (merged) return false;  // AVX2 has no merged form
  const RequantProbeBlock block = MakeRequantProbeBlock(multiplier, shift, zero_point);
  const Qs8GemmEpilogue& ep = block.ep;
  WithGemmlowpRequant8(ep, [&](auto form) {
    using Requant = typename decltype(form)::type;
    const Requant lo(ep, 0), hi(ep, 8);
    for (int i = 0; i + 16 <= n; i += 16) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), lo(Load8(x + i)));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i + 8), hi(Load8(x + i + 8)));
    }
  });
  return true;
}

}  // namespace pyrt
#endif
