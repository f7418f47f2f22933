#include "testing/peak_macs_avx2.h"

// The loops are written in assembly so that what is timed is exactly eight
// independent products per round, each added into its own accumulator (the
// adds chain with 1-cycle latency; the products never wait), with every
// value in a register: compiled intrinsics spilled to the stack and timed
// the compiler's register allocation instead of the multiplier.
#define PYRT_PEAK_STEP(MUL, ADD, ACC, TMP) \
  MUL " %%ymm1, %%ymm0, %%" TMP "\n\t" ADD " %%" TMP ", %%" ACC ", %%" ACC "\n\t"

#define PYRT_PEAK_LOOP(MUL, ADD)                                                      \
  "vpcmpeqd %%ymm0, %%ymm0, %%ymm0\n\t" /* all bits set */                           \
  "vpabsb %%ymm0, %%ymm1\n\t"           /* bytes of 1 */                             \
  "vpxor %%ymm2, %%ymm2, %%ymm2\n\t"                                                  \
  "vmovdqa %%ymm2, %%ymm3\n\t" "vmovdqa %%ymm2, %%ymm4\n\t" "vmovdqa %%ymm2, %%ymm5\n\t" \
  "vmovdqa %%ymm2, %%ymm6\n\t" "vmovdqa %%ymm2, %%ymm7\n\t" "vmovdqa %%ymm2, %%ymm8\n\t" \
  "vmovdqa %%ymm2, %%ymm9\n\t"                                                        \
  "1:\n\t"                                                                            \
  PYRT_PEAK_STEP(MUL, ADD, "ymm2", "ymm10") PYRT_PEAK_STEP(MUL, ADD, "ymm3", "ymm11")  \
  PYRT_PEAK_STEP(MUL, ADD, "ymm4", "ymm12") PYRT_PEAK_STEP(MUL, ADD, "ymm5", "ymm13")  \
  PYRT_PEAK_STEP(MUL, ADD, "ymm6", "ymm10") PYRT_PEAK_STEP(MUL, ADD, "ymm7", "ymm11")  \
  PYRT_PEAK_STEP(MUL, ADD, "ymm8", "ymm12") PYRT_PEAK_STEP(MUL, ADD, "ymm9", "ymm13")  \
  "dec %[n]\n\t"                                                                      \
  "jnz 1b\n\t"                                                                        \
  ADD " %%ymm3, %%ymm2, %%ymm2\n\t" ADD " %%ymm9, %%ymm2, %%ymm2\n\t"                 \
  "vmovd %%xmm2, %[out]\n\t"                                                          \
  "vzeroupper\n\t"

// Defines `int32_t NAME(int64_t iterations)` around PYRT_PEAK_LOOP.
#define PYRT_PEAK_FUNCTION(NAME, MUL, ADD)                                                  \
  int32_t NAME(int64_t iterations) {                                                        \
    if (iterations <= 0) return 0;                                                          \
    int32_t out;                                                                            \
    asm volatile(PYRT_PEAK_LOOP(MUL, ADD)                                                   \
                 : [n] "+r"(iterations), [out] "=r"(out)                                    \
                 :                                                                          \
                 : "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",    \
                   "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13");                     \
    return out;                                                                             \
  }

namespace pyrt {

PYRT_PEAK_FUNCTION(Avx2MaddwdThroughputLoop, "vpmaddwd", "vpaddd")
PYRT_PEAK_FUNCTION(Avx2MaddubswThroughputLoop, "vpmaddubsw", "vpaddw")

}  // namespace pyrt

#undef PYRT_PEAK_FUNCTION
#undef PYRT_PEAK_LOOP
#undef PYRT_PEAK_STEP
