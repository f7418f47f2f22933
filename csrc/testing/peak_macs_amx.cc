#include "testing/peak_macs_amx.h"

#if defined(__x86_64__) && defined(PYRT_HAVE_AMX_KERNELS)
#include <cstring>

// tdpbssd: 16 x 16 int32 sums += 16 x 64 s8 times 16 x 64 s8 (VNNI layout).
// Four independent C tiles (tmm0-3) from two A (tmm4-5) and two B tiles
// (tmm6-7), as the GEMM kernel uses them; written in assembly like the other
// peak loops (peak_macs_avx2.cc) so the loop holds nothing but the multiplies.
// Not run yet: no AMX machine has been at hand (issue 10).

namespace pyrt {

int32_t AmxDpbssdThroughputLoop(int64_t iterations) {
  if (iterations <= 0) return 0;
  alignas(64) uint8_t config[64] = {};
  config[0] = 1;  // palette 1: every tile 16 rows x 64 bytes
  for (int t = 0; t < 8; ++t) {
    config[16 + 2 * t] = 64;
    config[48 + t] = 16;
  }
  alignas(64) int8_t ones[16 * 64];
  std::memset(ones, 1, sizeof(ones));
  alignas(64) int32_t sums[16 * 16];
  const long stride = 64;
  asm volatile(
      "ldtilecfg (%[config])\n\t"
      "tilezero %%tmm0\n\t" "tilezero %%tmm1\n\t" "tilezero %%tmm2\n\t" "tilezero %%tmm3\n\t"
      "tileloadd (%[ones],%[stride],1), %%tmm4\n\t"
      "tileloadd (%[ones],%[stride],1), %%tmm5\n\t"
      "tileloadd (%[ones],%[stride],1), %%tmm6\n\t"
      "tileloadd (%[ones],%[stride],1), %%tmm7\n\t"
      "1:\n\t"
      "tdpbssd %%tmm6, %%tmm4, %%tmm0\n\t"
      "tdpbssd %%tmm7, %%tmm4, %%tmm1\n\t"
      "tdpbssd %%tmm6, %%tmm5, %%tmm2\n\t"
      "tdpbssd %%tmm7, %%tmm5, %%tmm3\n\t"
      "dec %[n]\n\t"
      "jnz 1b\n\t"
      "tilestored %%tmm0, (%[sums],%[out_stride],1)\n\t"
      "tilerelease\n\t"
      : [n] "+r"(iterations)
      : [config] "r"(config), [ones] "r"(ones), [stride] "r"(stride), [sums] "r"(sums),
        [out_stride] "r"(stride)
      : "cc", "memory");
  return sums[0];
}

}  // namespace pyrt

#endif  // __x86_64__ && PYRT_HAVE_AMX_KERNELS
