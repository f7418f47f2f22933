// Float32 GEMM 8x32 (two packed 16-column panels, one zmm each) and
// depthwise rows with AVX-512F (built with the avx512 flags; reached only
// through F32GemmConfigFor on the avx512vnni path, whose CPUs all have
// AVX-512F).
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "kernels/f32_gemm/depthwise_taps.h"
#include "kernels/f32_gemm/f32_gemm.h"

namespace pyrt {
namespace f32_avx512 {
namespace {

inline __mmask16 FirstLanes(int n) { return static_cast<__mmask16>((1u << n) - 1); }  // n in [0, 16]

// Operand order keeps a NaN sum NaN, as the reference's clamp does.
inline __m512 Clamp(__m512 v, __m512 lo, __m512 hi) {
  return _mm512_min_ps(hi, _mm512_max_ps(lo, v));
}

// MR rows of A times NP consecutive packed panels (K x 16 each), sums
// started from the bias; `cols` (1..16 * NP) columns are stored.
template <int MR, int NP>
void MicroKernel(int K, const float* a, size_t lda, const float* panel, const float* bias,
                 float* c, size_t ldc, int cols, __m512 lo, __m512 hi) {
  constexpr int kW = kGemmF32PanelWidth;
  const size_t panel_stride = static_cast<size_t>(K) * kW;
  __m512 acc[MR][NP];
  for (int j = 0; j < NP; ++j) {
    const __m512 b = _mm512_loadu_ps(bias + kW * j);
    for (int i = 0; i < MR; ++i) acc[i][j] = b;
  }
  for (int k = 0; k < K; ++k) {
    __m512 w[NP];
    for (int j = 0; j < NP; ++j) w[j] = _mm512_loadu_ps(panel + j * panel_stride + kW * k);
    for (int i = 0; i < MR; ++i) {
      const __m512 x = _mm512_set1_ps(a[i * lda + k]);
      for (int j = 0; j < NP; ++j) acc[i][j] = _mm512_fmadd_ps(x, w[j], acc[i][j]);
    }
  }
  for (int j = 0; j < NP; ++j) {
    const int n = std::min(kW, cols - kW * j);
    if (n <= 0) break;
    const __mmask16 mask = FirstLanes(n);
    // Fully unrolled, so the accumulators stay registers inside the K loop.
    #pragma GCC unroll 16
    for (int i = 0; i < MR; ++i)
      _mm512_mask_storeu_ps(c + i * ldc + kW * j, mask, Clamp(acc[i][j], lo, hi));
  }
}

template <int NP>
void PanelRows(const GemmF32Args& g, const float* a, size_t lda, int rows, const float* panel,
               const float* bias, float* c, size_t ldc, int cols, __m512 lo, __m512 hi) {
  constexpr int kMr = 8;
  int m = 0;
  for (; m + kMr <= rows; m += kMr)
    MicroKernel<kMr, NP>(g.k, a + m * lda, lda, panel, bias, c + m * ldc, ldc, cols, lo, hi);
  const float* ar = a + m * lda;
  float* cr = c + m * ldc;
  switch (rows - m) {
    case 7: MicroKernel<7, NP>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi); break;
    case 6: MicroKernel<6, NP>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi); break;
    case 5: MicroKernel<5, NP>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi); break;
    case 4: MicroKernel<4, NP>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi); break;
    case 3: MicroKernel<3, NP>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi); break;
    case 2: MicroKernel<2, NP>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi); break;
    case 1: MicroKernel<1, NP>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi); break;
    default: break;
  }
}

}  // namespace

void GemmF32Rows(const GemmF32Args& g, const float* a, size_t lda, int rows, float* c,
                 size_t ldc) {
  constexpr int kW = kGemmF32PanelWidth;
  const __m512 lo = _mm512_set1_ps(g.act_min), hi = _mm512_set1_ps(g.act_max);
  const int panels = (g.n + kW - 1) / kW;
  for (int p = 0; p < panels;) {
    const float* panel = g.packed + static_cast<size_t>(p) * g.k * kW;
    const float* bias = g.bias + p * kW;
    const int cols = std::min(2 * kW, g.n - p * kW);
    if (p + 2 <= panels) {
      PanelRows<2>(g, a, lda, rows, panel, bias, c + p * kW, ldc, cols, lo, hi);
      p += 2;
    } else {
      PanelRows<1>(g, a, lda, rows, panel, bias, c + p * kW, ldc, cols, lo, hi);
      p += 1;
    }
  }
}

void DepthwiseF32Rows(const DepthwiseF32Args& d, const float* input, int row0, int rows,
                      float* output) {
  const ConvGeometry& g = d.g;
  constexpr int kMaxTaps = DepthwiseTaps::kMax;
  if (g.out_c != g.in_c || g.filter_h * g.filter_w > kMaxTaps) {
    f32_portable::DepthwiseF32Rows(d, input, row0, rows, output);  // multiplier > 1, huge filters
    return;
  }
  const int C = g.out_c;
  const __m512 lo = _mm512_set1_ps(d.act_min), hi = _mm512_set1_ps(d.act_max);
  const __mmask16 tail = FirstLanes(C % 16);
  ForEachDepthwisePixel(g, input, output, row0, rows, [&](const float* base,
                                                          const DepthwiseTaps& tp, float* out) {
    const size_t* x_off = tp.x_off;
    const size_t* w_off = tp.w_off;
    const int taps = tp.count;
    int c = 0;
    for (; c + 64 <= C; c += 64) {
      __m512 acc[4];
      for (int v = 0; v < 4; ++v) acc[v] = _mm512_loadu_ps(d.bias + c + 16 * v);
      for (int t = 0; t < taps; ++t) {
        const float* x = base + x_off[t] + c;
        const float* w = d.filter + w_off[t] + c;
        for (int v = 0; v < 4; ++v)
          acc[v] = _mm512_fmadd_ps(_mm512_loadu_ps(x + 16 * v), _mm512_loadu_ps(w + 16 * v), acc[v]);
      }
      for (int v = 0; v < 4; ++v) _mm512_storeu_ps(out + c + 16 * v, Clamp(acc[v], lo, hi));
    }
    for (; c + 16 <= C; c += 16) {
      __m512 acc = _mm512_loadu_ps(d.bias + c);
      for (int t = 0; t < taps; ++t)
        acc = _mm512_fmadd_ps(_mm512_loadu_ps(base + x_off[t] + c),
                              _mm512_loadu_ps(d.filter + w_off[t] + c), acc);
      _mm512_storeu_ps(out + c, Clamp(acc, lo, hi));
    }
    if (c < C) {  // masked loads never touch the lanes past C
      __m512 acc = _mm512_maskz_loadu_ps(tail, d.bias + c);
      for (int t = 0; t < taps; ++t)
        acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(tail, base + x_off[t] + c),
                              _mm512_maskz_loadu_ps(tail, d.filter + w_off[t] + c), acc);
      _mm512_mask_storeu_ps(out + c, tail, Clamp(acc, lo, hi));
    }
  });
}

}  // namespace f32_avx512
}  // namespace pyrt
