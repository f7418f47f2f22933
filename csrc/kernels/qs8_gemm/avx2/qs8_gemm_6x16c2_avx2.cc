// Compiled with -mavx2 -mfma only (see CMakeLists.txt); called only when
// the CPU has AVX2.
#include "kernels/qs8_gemm/avx2/qs8_gemm_6x16c2_avx2.h"

#include <immintrin.h>

#include <cstring>

#include "kernels/x86/avx2/gemm_6x16c2_accumulate_avx2.h"
#include "kernels/x86/avx2/requant_avx2.h"

namespace pyrt {
namespace {

#define PYRT_ROW(r)                                                     \
  {                                                                     \
    const __m256i va = BroadcastPair(a##r + k);                         \
    c##r##0 = _mm256_add_epi32(c##r##0, _mm256_madd_epi16(va, b0));     \
    c##r##1 = _mm256_add_epi32(c##r##1, _mm256_madd_epi16(va, b1));     \
  }

// Rows beyond mr alias the last real row (computed, never stored), so the
// loop has no branches.
template <typename Requant>
inline void Gemm6x16c2(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                       const int8_t* b, int8_t* c, size_t c_stride, const Qs8GemmEpilogue& ep) {
  const int16_t* a0 = a;
  const int16_t* a1 = mr > 1 ? a0 + a_stride : a0;
  const int16_t* a2 = mr > 2 ? a1 + a_stride : a1;
  const int16_t* a3 = mr > 3 ? a2 + a_stride : a2;
  const int16_t* a4 = mr > 4 ? a3 + a_stride : a3;
  const int16_t* a5 = mr > 5 ? a4 + a_stride : a4;
  __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
          c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int k = 0; k < kp; k += 2) {
    const __m256i b0 = LoadWeights(b), b1 = LoadWeights(b + 16);
    b += 32;
    PYRT_ROW(0) PYRT_ROW(1) PYRT_ROW(2) PYRT_ROW(3) PYRT_ROW(4) PYRT_ROW(5)
  }
  const __m256i acc[6][2] = {{c00, c01}, {c10, c11}, {c20, c21},
                             {c30, c31}, {c40, c41}, {c50, c51}};
  const Requant requant0(ep, 0), requant1(ep, 8);
  for (int r = 0; r < mr; ++r) Store16(requant0(acc[r][0]), requant1(acc[r][1]), ep, nr, c + r * c_stride);
}

#undef PYRT_ROW

// kRows < 6 rows (M = 1 for FC and 1x1 images, remainders of M), or a
// panel of at most 8 real columns (kHalves == 1: the padding half is not
// computed): no work on absent rows and columns.
template <int kRows, int kHalves, typename Requant>
inline void GemmFewRows(int nr, int kp, const int16_t* a, size_t a_stride, const int8_t* b,
                        int8_t* c, size_t c_stride, const Qs8GemmEpilogue& ep) {
  __m256i sums[kRows][2];
  AccumulateRows<kRows, kHalves>(kp, a, a_stride, b, sums);
  const Requant requant0(ep, 0);
  if (kHalves == 1) {
    for (int r = 0; r < kRows; ++r) Store8(requant0(sums[r][0]), ep, nr, c + r * c_stride);
    return;
  }
  const Requant requant1(ep, 8);
  for (int r = 0; r < kRows; ++r) Store16(requant0(sums[r][0]), requant1(sums[r][1]), ep, nr, c + r * c_stride);
}

template <typename Requant>
inline void Gemm(int mr, int nr, int kp, const int16_t* a, size_t a_stride, const int8_t* b,
                 int8_t* c, size_t c_stride, const Qs8GemmEpilogue& ep) {
  if (nr <= 8) {
    switch (mr) {
      case 1: return GemmFewRows<1, 1, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
      case 2: return GemmFewRows<2, 1, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
      case 3: return GemmFewRows<3, 1, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
      case 4: return GemmFewRows<4, 1, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
      case 5: return GemmFewRows<5, 1, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
      default: return GemmFewRows<6, 1, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
    }
  }
  switch (mr) {
    case 1: return GemmFewRows<1, 2, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
    case 2: return GemmFewRows<2, 2, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
    case 3: return GemmFewRows<3, 2, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
    case 4: return GemmFewRows<4, 2, Requant>(nr, kp, a, a_stride, b, c, c_stride, ep);
    default: return Gemm6x16c2<Requant>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  }
}

}  // namespace

void Qs8Gemm6x16c2GemmlowpAvx2(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                               const int8_t* b, int8_t* c, size_t c_stride,
                               const Qs8GemmEpilogue& ep) {
  WithGemmlowpRequant8(ep, [&](auto form) {
    Gemm<typename decltype(form)::type>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  });
}

void Qs8Gemm6x16c2Fp64Avx2(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                           const int8_t* b, int8_t* c, size_t c_stride,
                           const Qs8GemmEpilogue& ep) {
  Gemm<Fp64Requant8>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
}

}  // namespace pyrt
