// Compiled with -march=armv8-a (see CMakeLists.txt): every aarch64 CPU.
#include "kernels/hybrid_gemm/neon/hybrid_gemm_4x16c2_neon.h"

#include <arm_neon.h>

#include "kernels/hybrid_gemm/neon/hybrid_store_neon.h"

namespace pyrt {
namespace {

// kRows x 16 tile. Per k pair the packed weights [16][2] are split by k
// (vld2q) and widened to int16; each row's two activations multiply them
// by scalar into 4 accumulators of 4 columns.
template <int kRows>
void Tile(int nr, int kp, const int16_t* a, size_t a_stride, const int8_t* b, float* c,
          size_t c_stride, const HybridGemmEpilogue& ep, int m0, int n0) {
  int32x4_t acc[kRows][4];
  for (int r = 0; r < kRows; ++r)
    for (int v = 0; v < 4; ++v) acc[r][v] = vdupq_n_s32(0);
  for (int k = 0; k < kp; k += 2, b += 32) {
    const int8x16x2_t w = vld2q_s8(b);
    int16x4_t wk[2][4];  // [k of the pair][4 columns]
    for (int h = 0; h < 2; ++h) {
      const int16x8_t low = vmovl_s8(vget_low_s8(w.val[h]));
      const int16x8_t high = vmovl_s8(vget_high_s8(w.val[h]));
      wk[h][0] = vget_low_s16(low);
      wk[h][1] = vget_high_s16(low);
      wk[h][2] = vget_low_s16(high);
      wk[h][3] = vget_high_s16(high);
    }
    for (int r = 0; r < kRows; ++r) {
      const int16_t x0 = a[r * a_stride + k], x1 = a[r * a_stride + k + 1];
      for (int v = 0; v < 4; ++v) {
        acc[r][v] = vmlal_n_s16(acc[r][v], wk[0][v], x0);
        acc[r][v] = vmlal_n_s16(acc[r][v], wk[1][v], x1);
      }
    }
  }
  for (int r = 0; r < kRows; ++r) {
    const float row_scale = ep.batch_scale[(m0 + r) / ep.rows_per_batch];
    hybrid_neon::StoreRow(acc[r], row_scale, ep, n0, nr, c + r * c_stride);
  }
}

}  // namespace

void HybridGemm4x16c2Neon(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                          const int8_t* b, float* c, size_t c_stride,
                          const HybridGemmEpilogue& ep, int m0, int n0) {
  switch (mr) {
    case 1: return Tile<1>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 2: return Tile<2>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 3: return Tile<3>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    default: return Tile<4>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
  }
}

}  // namespace pyrt
