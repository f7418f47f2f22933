// Compiled with -march=armv8.2-a+dotprod (see CMakeLists.txt); called only
// when getauxval reports asimddp (the neondot path of kernels/isa.h).
#include "kernels/qs8_gemm/neondot/qs8_gemm_4x16c4_neondot.h"

#include <arm_neon.h>

#include <cstring>

#include "kernels/qs8_gemm/neon/requant_neon.h"

namespace pyrt {
namespace {

using qs8_neon::RequantFp64;
using qs8_neon::RequantGemmlowp;

// One k quad of a row, in every 32-bit lane.
inline int8x16_t BroadcastQuad(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return vreinterpretq_s8_s32(vdupq_n_s32(v));
}

// kRows x 16 tile: per k quad, 4 weight registers (4 columns x 4 k each) and
// one sdot per row and register.
template <int kRows, typename Requant>
void Tile(int nr, int kp, const int8_t* a, size_t a_stride, const int8_t* b, int8_t* c,
          size_t c_stride, const Qs8GemmEpilogue& ep) {
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
    int32x4_t out[4];
    for (int v = 0; v < 4; ++v) out[v] = Requant::Apply(acc[r][v], ep, 4 * v);
    qs8_neon::Store<4>(out, ep, nr, c + r * c_stride);
  }
}

template <typename Requant>
void Gemm(int mr, int nr, int kp, const int8_t* a, size_t a_stride, const int8_t* b, int8_t* c,
          size_t c_stride, const Qs8GemmEpilogue& ep) {
  switch (mr) {
    case 1: return Tile<1, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
    case 2: return Tile<2, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
    case 3: return Tile<3, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
    default: return Tile<4, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
  }
}

}  // namespace

void Qs8Gemm4x16c4GemmlowpNeonDot(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                                  const int8_t* b, int8_t* c, size_t c_stride,
                                  const Qs8GemmEpilogue& ep) {
  if (ep.any_left_shift) {
    Gemm<RequantGemmlowp<true>>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  } else {
    Gemm<RequantGemmlowp<false>>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  }
}

void Qs8Gemm4x16c4Fp64NeonDot(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                              const int8_t* b, int8_t* c, size_t c_stride,
                              const Qs8GemmEpilogue& ep) {
  Gemm<RequantFp64>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
}

}  // namespace pyrt
