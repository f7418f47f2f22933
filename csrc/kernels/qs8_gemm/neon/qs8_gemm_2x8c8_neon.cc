// Compiled with -march=armv8-a (see CMakeLists.txt): the neon path of
// kernels/isa.h, every AArch64 CPU (e.g. the Cortex-A72 of a Raspberry Pi 4).
#include "kernels/qs8_gemm/neon/qs8_gemm_2x8c8_neon.h"

#include <arm_neon.h>

#include "kernels/qs8_gemm/neon/requant_neon.h"

namespace pyrt {
namespace {

using qs8_neon::RequantFp64;
using qs8_neon::RequantGemmlowp;

// kRows x 8 tile: one int32x4 accumulator per (row, column) collects the
// pairwise sums of 8 products; the 4 lanes are added at the end.
template <int kRows, typename Requant>
void Tile(int nr, int kp, const int8_t* a, size_t a_stride, const int8_t* b, int8_t* c,
          size_t c_stride, const Qs8GemmEpilogue& ep) {
  int32x4_t acc[kRows][8];
  for (int r = 0; r < kRows; ++r)
    for (int j = 0; j < 8; ++j) acc[r][j] = vdupq_n_s32(0);
  for (int k = 0; k < kp; k += 8, b += 64) {
    int8x8_t w[8];
    for (int j = 0; j < 8; ++j) w[j] = vld1_s8(b + 8 * j);
    for (int r = 0; r < kRows; ++r) {
      const int8x8_t x = vld1_s8(a + r * a_stride + k);
      for (int j = 0; j < 8; ++j) acc[r][j] = vpadalq_s16(acc[r][j], vmull_s8(x, w[j]));
    }
  }
  for (int r = 0; r < kRows; ++r) {
    int32x4_t out[2];
    for (int h = 0; h < 2; ++h) {
      const int32x4_t* s = acc[r] + 4 * h;
      const int32x4_t sums = vpaddq_s32(vpaddq_s32(s[0], s[1]), vpaddq_s32(s[2], s[3]));
      out[h] = Requant::Apply(sums, ep, 4 * h);
    }
    qs8_neon::Store<2>(out, ep, nr, c + r * c_stride);
  }
}

template <typename Requant>
void Gemm(int mr, int nr, int kp, const int8_t* a, size_t a_stride, const int8_t* b, int8_t* c,
          size_t c_stride, const Qs8GemmEpilogue& ep) {
  if (mr == 1) return Tile<1, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
  Tile<2, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
}

}  // namespace

void Qs8Gemm2x8c8GemmlowpNeon(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                              const int8_t* b, int8_t* c, size_t c_stride,
                              const Qs8GemmEpilogue& ep) {
  if (ep.any_left_shift) {
    Gemm<RequantGemmlowp<true>>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  } else {
    Gemm<RequantGemmlowp<false>>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  }
}

void Qs8Gemm2x8c8Fp64Neon(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                          const int8_t* b, int8_t* c, size_t c_stride,
                          const Qs8GemmEpilogue& ep) {
  Gemm<RequantFp64>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
}

}  // namespace pyrt
