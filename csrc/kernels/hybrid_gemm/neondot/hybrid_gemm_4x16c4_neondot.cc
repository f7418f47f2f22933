// Compiled with -march=armv8.2-a+dotprod (see CMakeLists.txt); called only
// when getauxval reports asimddp (the neondot path of kernels/isa.h).
#include "kernels/hybrid_gemm/neondot/hybrid_gemm_4x16c4_neondot.h"

#include <arm_neon.h>

#include <cstring>

#include "kernels/hybrid_gemm/neon/hybrid_store_neon.h"

namespace pyrt {
namespace {

// One k quad of a row, in every 32-bit lane.
inline int8x16_t BroadcastQuad(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return vreinterpretq_s8_s32(vdupq_n_s32(v));
}

// kRows x 16 tile: per k quad, 4 weight registers (4 columns x 4 k each) and
// one sdot per row and register. sum q * w - zp * sum w equals
// sum (q - zp) * w modulo 2^32, as the int32 sums of the other paths.
template <int kRows>
void Tile(int nr, int kp, const int8_t* a, size_t a_stride, const int8_t* b, float* c,
          size_t c_stride, const HybridGemmEpilogue& ep, int m0, int n0) {
  int32x4_t acc[kRows][4];
  for (int r = 0; r < kRows; ++r)
    for (int v = 0; v < 4; ++v) acc[r][v] = vdupq_n_s32(0);
  for (int k = 0; k < kp; k += 4, b += 64) {
    int8x16_t w[4];
    for (int v = 0; v < 4; ++v) w[v] = vld1q_s8(b + 16 * v);
    for (int r = 0; r < kRows; ++r) {
      const int8x16_t x = BroadcastQuad(a + r * a_stride + k);
      for (int v = 0; v < 4; ++v) acc[r][v] = vdotq_s32(acc[r][v], w[v], x);
    }
  }
  for (int r = 0; r < kRows; ++r) {
    const int batch = (m0 + r) / ep.rows_per_batch;
    const int32_t zp = ep.batch_zero_point[batch];
    for (int v = 0; v < 4; ++v)  // mls wraps: the subtraction is exact modulo 2^32
      acc[r][v] = vmlsq_n_s32(acc[r][v], vld1q_s32(ep.col_sum + n0 + 4 * v), zp);
    hybrid_neon::StoreRow(acc[r], ep.batch_scale[batch], ep, n0, nr, c + r * c_stride);
  }
}

}  // namespace

void HybridGemm4x16c4NeonDot(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
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
