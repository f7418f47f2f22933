#include "testing/peak_macs_avx512vnni.h"

// vpdpbusd zmm: 16 lanes x 4 u8*s8 products summed into int32, in place.
// Twelve independent accumulators hide its latency; every value stays in a
// register (see peak_macs_avx2.cc for why this is assembly).
#define PYRT_VNNI_STEP(ACC) "vpdpbusd %%zmm1, %%zmm0, %%" ACC "\n\t"

namespace pyrt {

int32_t Avx512VnniDpbusdThroughputLoop(int64_t iterations) {
  if (iterations <= 0) return 0;
  int32_t out;
  asm volatile(
      "vpternlogd $0xff, %%zmm0, %%zmm0, %%zmm0\n\t"  // all bits set
      "vpabsb %%zmm0, %%zmm1\n\t"                     // bytes of 1
      "vpxord %%zmm2, %%zmm2, %%zmm2\n\t"
      "vmovdqa64 %%zmm2, %%zmm3\n\t" "vmovdqa64 %%zmm2, %%zmm4\n\t" "vmovdqa64 %%zmm2, %%zmm5\n\t"
      "vmovdqa64 %%zmm2, %%zmm6\n\t" "vmovdqa64 %%zmm2, %%zmm7\n\t" "vmovdqa64 %%zmm2, %%zmm8\n\t"
      "vmovdqa64 %%zmm2, %%zmm9\n\t" "vmovdqa64 %%zmm2, %%zmm10\n\t" "vmovdqa64 %%zmm2, %%zmm11\n\t"
      "vmovdqa64 %%zmm2, %%zmm12\n\t" "vmovdqa64 %%zmm2, %%zmm13\n\t"
      "1:\n\t"
      PYRT_VNNI_STEP("zmm2") PYRT_VNNI_STEP("zmm3") PYRT_VNNI_STEP("zmm4") PYRT_VNNI_STEP("zmm5")
      PYRT_VNNI_STEP("zmm6") PYRT_VNNI_STEP("zmm7") PYRT_VNNI_STEP("zmm8") PYRT_VNNI_STEP("zmm9")
      PYRT_VNNI_STEP("zmm10") PYRT_VNNI_STEP("zmm11") PYRT_VNNI_STEP("zmm12") PYRT_VNNI_STEP("zmm13")
      "dec %[n]\n\t"
      "jnz 1b\n\t"
      "vpaddd %%zmm3, %%zmm2, %%zmm2\n\t"
      "vpaddd %%zmm13, %%zmm2, %%zmm2\n\t"
      "vmovd %%xmm2, %[out]\n\t"
      "vzeroupper\n\t"
      : [n] "+r"(iterations), [out] "=r"(out)
      :
      : "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
        "xmm10", "xmm11", "xmm12", "xmm13");
  return out;
}

}  // namespace pyrt

#undef PYRT_VNNI_STEP
