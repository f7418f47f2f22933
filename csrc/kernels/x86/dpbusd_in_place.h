// acc += dot4(u8 x, s8 w) per 32-bit lane, in place, for the GEMM tiles'
// inner loops. Written as asm because GCC 12, given the intrinsics, keeps a
// tile's sums in a rotating set of registers and copies (or spills) all of
// them every k step: 18 register moves per 16 zmm dot products, and for the
// ymm tile stack stores every step (measured in the disassembly). The "+v" /
// "+x" constraint ties each sum to one register. Include only from
// translation units built with the matching ISA flags.
#pragma once

#include <immintrin.h>

namespace pyrt {
namespace {

#if defined(PYRT_EMULATE_X86)
// The emulated build (csrc/testing/x86_on_simde.h): SIMD Everywhere's form.
inline void DpbusdInPlace(__m512i& acc, __m512i x, __m512i w) { acc = _mm512_dpbusd_epi32(acc, x, w); }
inline void DpbusdInPlace(__m256i& acc, __m256i x, __m256i w) { acc = _mm256_dpbusd_epi32(acc, x, w); }
#else
#ifdef __AVX512VNNI__
inline void DpbusdInPlace(__m512i& acc, __m512i x, __m512i w) {
  asm("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(x), "v"(w));
}
#endif

#ifdef __AVXVNNI__
// VEX form (AVX-VNNI): only ymm0-15 are encodable, hence "x".
inline void DpbusdInPlace(__m256i& acc, __m256i x, __m256i w) {
  asm("%{vex%} vpdpbusd %2, %1, %0" : "+x"(acc) : "x"(x), "x"(w));
}
#endif
#endif  // PYRT_EMULATE_X86

}  // namespace
}  // namespace pyrt
