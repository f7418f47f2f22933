// Compiled with -march=armv8.2-a+dotprod+i8mm (see CMakeLists.txt); called
// only when getauxval reports i8mm (the neoni8mm path of kernels/isa.h).
#include "kernels/qs8_gemm/neoni8mm/qs8_gemm_4x8c8_neoni8mm.h"

#include <arm_neon.h>

#include "kernels/qs8_gemm/neon/requant_neon.h"

namespace pyrt {
namespace {

using qs8_neon::RequantFp64;
using qs8_neon::RequantGemmlowp;

// kRows x 8 tile as (kRows + 1) / 2 row pairs x 4 column pairs of smmla
// accumulators, each [r0c0 r0c1 r1c0 r1c1]. An odd last row is paired with
// itself (read twice, its copy's results dropped): no read past the rows.
template <int kRows, typename Requant>
void Tile(int nr, int kp, const int8_t* a, size_t a_stride, const int8_t* b, int8_t* c,
          size_t c_stride, const Qs8GemmEpilogue& ep) {
  constexpr int kPairs = (kRows + 1) / 2;
  const int8_t* row[2 * kPairs];
  for (int r = 0; r < 2 * kPairs; ++r) row[r] = a + (r < kRows ? r : kRows - 1) * a_stride;
  int32x4_t acc[kPairs][4];
  for (int p = 0; p < kPairs; ++p)
    for (int j = 0; j < 4; ++j) acc[p][j] = vdupq_n_s32(0);
  for (int k = 0; k < kp; k += 8, b += 64) {
    int8x16_t w[4];
    for (int j = 0; j < 4; ++j) w[j] = vld1q_s8(b + 16 * j);
    for (int p = 0; p < kPairs; ++p) {
      const int8x16_t x = vcombine_s8(vld1_s8(row[2 * p] + k), vld1_s8(row[2 * p + 1] + k));
      for (int j = 0; j < 4; ++j) acc[p][j] = vmmlaq_s32(acc[p][j], x, w[j]);
    }
  }
  for (int p = 0; p < kPairs; ++p) {
    for (int half = 0; half < 2 && 2 * p + half < kRows; ++half) {
      int32x4_t out[2];
      for (int h = 0; h < 2; ++h) {
        const int64x2_t lo = vreinterpretq_s64_s32(acc[p][2 * h]);
        const int64x2_t hi = vreinterpretq_s64_s32(acc[p][2 * h + 1]);
        const int32x4_t sums =
            vreinterpretq_s32_s64(half == 0 ? vuzp1q_s64(lo, hi) : vuzp2q_s64(lo, hi));
        out[h] = Requant::Apply(sums, ep, 4 * h);
      }
      qs8_neon::Store<2>(out, ep, nr, c + (2 * p + half) * c_stride);
    }
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

void Qs8Gemm4x8c8GemmlowpNeonI8mm(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                                  const int8_t* b, int8_t* c, size_t c_stride,
                                  const Qs8GemmEpilogue& ep) {
  if (ep.any_left_shift) {
    Gemm<RequantGemmlowp<true>>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  } else {
    Gemm<RequantGemmlowp<false>>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  }
}

void Qs8Gemm4x8c8Fp64NeonI8mm(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                              const int8_t* b, int8_t* c, size_t c_stride,
                              const Qs8GemmEpilogue& ep) {
  Gemm<RequantFp64>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
}

}  // namespace pyrt
