// Compiled with -mavx2 -mfma only (see CMakeLists.txt); called only when
// the CPU has AVX2.
#include "kernels/qs8_gemm/avx2/qs8_igemm_6x16c2_avx2.h"

#include <immintrin.h>

#include "kernels/x86/avx2/gemm_6x16c2_accumulate_avx2.h"
#include "kernels/x86/avx2/requant_avx2.h"

namespace pyrt {
namespace {

// kRows accumulated rows (rows beyond mr alias the last real one: computed,
// never stored); kHalves == 1 for panels of at most 8 real columns.
template <int kRows, int kHalves, typename Requant>
void Igemm(int mr, int nr, int segments, int segment_kp, size_t segment_stride,
           const int16_t* const* a, const int8_t* b, int8_t* c, size_t c_stride,
           const Qs8GemmEpilogue& ep) {
  const int16_t* rows[kRows];
  for (int r = 0; r < kRows; ++r) rows[r] = a[r < mr ? r : mr - 1];
  __m256i acc[kRows][kHalves];
  for (int r = 0; r < kRows; ++r)
    for (int h = 0; h < kHalves; ++h) acc[r][h] = _mm256_setzero_si256();
  for (int s = 0; s < segments; ++s) {
    for (int k = 0; k < segment_kp; k += 2, b += 32) {
      __m256i w[kHalves];
      for (int h = 0; h < kHalves; ++h) w[h] = LoadWeights(b + 16 * h);
      for (int r = 0; r < kRows; ++r) {
        const __m256i va = BroadcastPair(rows[r] + k);
        for (int h = 0; h < kHalves; ++h)
          acc[r][h] = _mm256_add_epi32(acc[r][h], _mm256_madd_epi16(va, w[h]));
      }
    }
    for (int r = 0; r < kRows; ++r) rows[r] += segment_stride;
  }
  const Requant requant0(ep, 0);
  if (kHalves == 1) {
    for (int r = 0; r < mr; ++r) Store8(requant0(acc[r][0]), ep, nr, c + r * c_stride);
    return;
  }
  const Requant requant1(ep, 8);
  for (int r = 0; r < mr; ++r)
    Store16(requant0(acc[r][0]), requant1(acc[r][kHalves - 1]), ep, nr, c + r * c_stride);
}

template <int kHalves, typename Requant>
void IgemmRows(int mr, int nr, int segments, int segment_kp, size_t segment_stride,
               const int16_t* const* a, const int8_t* b, int8_t* c, size_t c_stride,
               const Qs8GemmEpilogue& ep) {
  if (mr <= 2) {
    Igemm<2, kHalves, Requant>(mr, nr, segments, segment_kp, segment_stride, a, b, c, c_stride, ep);
  } else if (mr <= 4) {
    Igemm<4, kHalves, Requant>(mr, nr, segments, segment_kp, segment_stride, a, b, c, c_stride, ep);
  } else {
    Igemm<6, kHalves, Requant>(mr, nr, segments, segment_kp, segment_stride, a, b, c, c_stride, ep);
  }
}

}  // namespace

void Qs8Igemm6x16c2GemmlowpAvx2(int mr, int nr, int segments, int segment_kp,
                                size_t segment_stride, const int16_t* const* a, const int8_t* b,
                                int8_t* c, size_t c_stride, const Qs8GemmEpilogue& ep) {
  WithGemmlowpRequant8(ep, [&](auto form) {
    using Requant = typename decltype(form)::type;
    if (nr <= 8) {
      IgemmRows<1, Requant>(mr, nr, segments, segment_kp, segment_stride, a, b, c, c_stride, ep);
    } else {
      IgemmRows<2, Requant>(mr, nr, segments, segment_kp, segment_stride, a, b, c, c_stride, ep);
    }
  });
}

}  // namespace pyrt
