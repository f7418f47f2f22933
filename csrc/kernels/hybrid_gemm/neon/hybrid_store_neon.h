// The float epilogue of the NEON hybrid GEMM kernels (hybrid_gemm_ukernel.h)
// for one row of 16 columns. Included by the neon and neondot kernels, so it
// compiles with their flags; both build with -ffp-contract=off (the aarch64
// build's default, CMakeLists.txt): multiply and add round separately, as
// LiteRT's.
#pragma once

#include <arm_neon.h>

#include <cstring>

#include "kernels/hybrid_gemm_ukernel.h"

namespace pyrt {
namespace hybrid_neon {

// clamp(float(acc) * (col_scale * row_scale) + bias) for columns n0..n0+15
// (col_scale and bias are padded to whole panels), nr of them stored. The
// clamp is std::max(std::min(y, hi), lo) as the portable kernel's, written
// as compare and select: fmin/fmax would differ on NaN and on -0 vs +0.
inline void StoreRow(const int32x4_t acc[4], float row_scale, const HybridGemmEpilogue& ep,
                     int n0, int nr, float* c) {
  const float32x4_t s = vdupq_n_f32(row_scale);
  const float32x4_t lo = vdupq_n_f32(ep.act_min), hi = vdupq_n_f32(ep.act_max);
  float32x4_t y[4];
  for (int v = 0; v < 4; ++v) {
    const float32x4_t scale = vmulq_f32(vld1q_f32(ep.col_scale + n0 + 4 * v), s);
    const float32x4_t t = vmulq_f32(vcvtq_f32_s32(acc[v]), scale);
    float32x4_t u = vaddq_f32(t, vld1q_f32(ep.bias + n0 + 4 * v));
    u = vbslq_f32(vcltq_f32(hi, u), hi, u);
    y[v] = vbslq_f32(vcltq_f32(u, lo), lo, u);
  }
  if (nr == 16) {
    for (int v = 0; v < 4; ++v) vst1q_f32(c + 4 * v, y[v]);
    return;
  }
  float tmp[16];
  for (int v = 0; v < 4; ++v) vst1q_f32(tmp + 4 * v, y[v]);
  std::memcpy(c, tmp, sizeof(float) * nr);
}

}  // namespace hybrid_neon
}  // namespace pyrt
