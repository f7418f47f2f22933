// Test entry: the AVX-512 requantization forms on raw int32 sums, so their
// results can be compared with the reference before any narrowing to int8.
// Built for the test module with the avx512vnni path's instructions enabled
// here (pragma; in the emulated build, csrc/testing/x86_on_simde.h instead);
// call only when the avx512vnni path is available.
#if defined(__x86_64__)
#ifndef PYRT_EMULATE_X86
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")
#endif
#include "testing/requant_probe.h"

#include <immintrin.h>

#include "kernels/x86/avx512vnni/requant_avx512vnni.h"

namespace pyrt {

bool RequantAvx512Probe(bool merged, const int32_t* x, int n, const int32_t* multiplier,
                        const int32_t* shift, int32_t zero_point, int32_t* out) {
  const RequantProbeBlock block = MakeRequantProbeBlock(multiplier, shift, zero_point);
  const Qs8GemmEpilogue& ep = block.ep;
  if (merged && !MergedFormApplies(ep)) return false;  // not for these channels
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
