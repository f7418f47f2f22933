// Compiled with the avx512vnni path's flags plus -ffp-contract=off (see
// CMakeLists.txt): the epilogue's multiply and add round separately, as
// LiteRT's. Called only when the CPU has AVX-512 VNNI (kernels/isa.h).
#include "kernels/hybrid_gemm/avx512vnni/hybrid_gemm_8x32c4_avx512vnni.h"

#include <immintrin.h>

#include <cstring>

#include "kernels/x86/dpbusd_in_place.h"

namespace pyrt {
namespace {

inline __m512i Broadcast4(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return _mm512_set1_epi32(v);
}

// The per-column factors of one image: (128 + zero point) * column sums
// and col_scale * input scale.
struct ImageColumns {
  __m512i offset_sum;
  __m512 scale;
};

inline ImageColumns Columns(const HybridGemmEpilogue& ep, int batch, int n) {
  ImageColumns k;
  k.offset_sum = _mm512_mullo_epi32(_mm512_loadu_si512(ep.col_sum + n),
                                    _mm512_set1_epi32(128 + ep.batch_zero_point[batch]));
  k.scale = _mm512_mul_ps(_mm512_loadu_ps(ep.col_scale + n), _mm512_set1_ps(ep.batch_scale[batch]));
  return k;
}

// 16 outputs of one row: the sum minus (128 + zero point) * column sums,
// then clamp(float(acc) * (col_scale * row_scale) + bias). The clamp's
// operand order keeps NaN as the portable kernel's std::max(std::min(y, hi), lo).
inline void Store16(__m512i acc, const ImageColumns& k, const HybridGemmEpilogue& ep, int n,
                    int count, float* c) {
  acc = _mm512_sub_epi32(acc, k.offset_sum);
  __m512 y = _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(acc), k.scale), _mm512_loadu_ps(ep.bias + n));
  y = _mm512_max_ps(_mm512_set1_ps(ep.act_min), _mm512_min_ps(_mm512_set1_ps(ep.act_max), y));
  if (count >= 16) {
    _mm512_storeu_ps(c, y);
  } else if (count > 0) {
    _mm512_mask_storeu_ps(c, static_cast<__mmask16>((1u << count) - 1), y);
  }
}

// kRows x (16 * kVecs) tile. The panel stride is 32 columns whatever kVecs
// (a panel of <= 16 columns reads only its first half).
template <int kRows, int kVecs>
inline void Tile(int nr, int kp, const uint8_t* a, size_t a_stride, const int8_t* b, float* c,
                 size_t c_stride, const HybridGemmEpilogue& ep, int m0, int n0) {
  constexpr int kPanelBytes = kHybridGemmAvx512VnniNr * 4;  // one k quad of the panel
  __m512i acc[kRows][kVecs];
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r)
#pragma GCC unroll 2
    for (int v = 0; v < kVecs; ++v) acc[r][v] = _mm512_setzero_si512();
  for (int k = 0; k < kp; k += 4, b += kPanelBytes) {
    __m512i w[kVecs];
#pragma GCC unroll 2
    for (int v = 0; v < kVecs; ++v) w[v] = _mm512_loadu_si512(b + 64 * v);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      const __m512i x = Broadcast4(a + r * a_stride + k);
#pragma GCC unroll 2
      for (int v = 0; v < kVecs; ++v) DpbusdInPlace(acc[r][v], x, w[v]);
    }
  }
  // Rows of one image (the usual case) share the per-column factors.
  const int first = m0 / ep.rows_per_batch;
  const bool one_image = (m0 + kRows - 1) / ep.rows_per_batch == first;
  ImageColumns k[kVecs];
#pragma GCC unroll 2
  for (int v = 0; v < kVecs; ++v) k[v] = Columns(ep, first, n0 + 16 * v);
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) {
    if (!one_image) {
      const int batch = (m0 + r) / ep.rows_per_batch;
#pragma GCC unroll 2
      for (int v = 0; v < kVecs; ++v) k[v] = Columns(ep, batch, n0 + 16 * v);
    }
#pragma GCC unroll 2
    for (int v = 0; v < kVecs; ++v) {
      Store16(acc[r][v], k[v], ep, n0 + 16 * v, nr - 16 * v, c + r * c_stride + 16 * v);
    }
  }
}

template <int kRows>
inline void Rows(int nr, int kp, const uint8_t* a, size_t a_stride, const int8_t* b, float* c,
                 size_t c_stride, const HybridGemmEpilogue& ep, int m0, int n0) {
  if (nr > 16) {
    Tile<kRows, 2>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
  } else {
    Tile<kRows, 1>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
  }
}

}  // namespace

void HybridGemm8x32c4Avx512Vnni(int mr, int nr, int kp, const uint8_t* a, size_t a_stride,
                                const int8_t* b, float* c, size_t c_stride,
                                const HybridGemmEpilogue& ep, int m0, int n0) {
  switch (mr) {
    case 1: return Rows<1>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 2: return Rows<2>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 3: return Rows<3>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 4: return Rows<4>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 5: return Rows<5>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 6: return Rows<6>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    case 7: return Rows<7>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
    default: return Rows<8>(nr, kp, a, a_stride, b, c, c_stride, ep, m0, n0);
  }
}

}  // namespace pyrt
