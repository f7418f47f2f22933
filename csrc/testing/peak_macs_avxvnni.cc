#include "testing/peak_macs_avxvnni.h"

// {vex} vpdpbusd ymm: 8 lanes x 4 u8*s8 products summed into int32, in
// place (the VEX form of AVX-VNNI; without the prefix the assembler picks
// the EVEX form of AVX-512 VNNI). Twelve independent accumulators hide its
// latency; every value stays in a register (see peak_macs_avx2.cc for why
// this is assembly). %{ %} escape the braces of the prefix in inline asm.
#define PYRT_VNNI_STEP(ACC) "%{vex%} vpdpbusd %%ymm1, %%ymm0, %%" ACC "\n\t"

namespace pyrt {

int32_t AvxVnniDpbusdThroughputLoop(int64_t iterations) {
  if (iterations <= 0) return 0;
  int32_t out;
  asm volatile(
      "vpcmpeqd %%ymm0, %%ymm0, %%ymm0\n\t"  // all bits set
      "vpabsb %%ymm0, %%ymm1\n\t"            // bytes of 1
      "vpxor %%ymm2, %%ymm2, %%ymm2\n\t"
      "vmovdqa %%ymm2, %%ymm3\n\t" "vmovdqa %%ymm2, %%ymm4\n\t" "vmovdqa %%ymm2, %%ymm5\n\t"
      "vmovdqa %%ymm2, %%ymm6\n\t" "vmovdqa %%ymm2, %%ymm7\n\t" "vmovdqa %%ymm2, %%ymm8\n\t"
      "vmovdqa %%ymm2, %%ymm9\n\t" "vmovdqa %%ymm2, %%ymm10\n\t" "vmovdqa %%ymm2, %%ymm11\n\t"
      "vmovdqa %%ymm2, %%ymm12\n\t" "vmovdqa %%ymm2, %%ymm13\n\t"
      "1:\n\t"
      PYRT_VNNI_STEP("ymm2") PYRT_VNNI_STEP("ymm3") PYRT_VNNI_STEP("ymm4") PYRT_VNNI_STEP("ymm5")
      PYRT_VNNI_STEP("ymm6") PYRT_VNNI_STEP("ymm7") PYRT_VNNI_STEP("ymm8") PYRT_VNNI_STEP("ymm9")
      PYRT_VNNI_STEP("ymm10") PYRT_VNNI_STEP("ymm11") PYRT_VNNI_STEP("ymm12") PYRT_VNNI_STEP("ymm13")
      "dec %[n]\n\t"
      "jnz 1b\n\t"
      "vpaddd %%ymm3, %%ymm2, %%ymm2\n\t"
      "vpaddd %%ymm13, %%ymm2, %%ymm2\n\t"
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
