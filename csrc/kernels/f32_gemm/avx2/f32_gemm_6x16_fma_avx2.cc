// Float32 GEMM 6x16 and depthwise rows with AVX2 + FMA (built with -mavx2
// -mfma; reached only through F32GemmConfigFor).
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "kernels/f32_gemm/depthwise_taps.h"
#include "kernels/f32_gemm/f32_gemm.h"

namespace pyrt {
namespace f32_fma_avx2 {
namespace {

// Lanes [0, n) set, n in [0, 8].
inline __m256i FirstLanes(int n) {
  static const int32_t kOnes[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kOnes + 8 - n));
}

// max(lo, v) then min(hi, .): the operand order keeps a NaN sum NaN, as the
// reference's std::min(std::max(v, lo), hi) does.
inline __m256 Clamp(__m256 v, __m256 lo, __m256 hi) {
  return _mm256_min_ps(hi, _mm256_max_ps(lo, v));
}

// Stores the first `cols` (1..16) of a 16-float row. Partial vectors go
// through a buffer: vmaskmovps stores are slow on AMD cores.
inline void StoreRow(float* c, __m256 v0, __m256 v1, int cols) {
  if (cols >= 8) {
    _mm256_storeu_ps(c, v0);
    c += 8, cols -= 8, v0 = v1;
  }
  if (cols == 8) {
    _mm256_storeu_ps(c, v0);
  } else if (cols > 0) {
    alignas(32) float row[8];
    _mm256_store_ps(row, v0);
    for (int j = 0; j < cols; ++j) c[j] = row[j];
  }
}

// MR rows of A times one packed panel (K x 16), sums started from the bias.
// The clamp bounds are read only after the loop: 12 accumulators, 2 weight
// vectors and a broadcast already take 15 of the 16 ymm registers.
template <int MR>
void MicroKernel(int K, const float* a, size_t lda, const float* panel, const float* bias,
                 float* c, size_t ldc, int cols, const float* bounds) {
  __m256 acc0[MR], acc1[MR];
  const __m256 b0 = _mm256_loadu_ps(bias), b1 = _mm256_loadu_ps(bias + 8);
  for (int i = 0; i < MR; ++i) acc0[i] = b0, acc1[i] = b1;
  for (int k = 0; k < K; ++k) {
    const __m256 w0 = _mm256_loadu_ps(panel + 16 * k), w1 = _mm256_loadu_ps(panel + 16 * k + 8);
    for (int i = 0; i < MR; ++i) {
      const __m256 x = _mm256_broadcast_ss(a + i * lda + k);
      acc0[i] = _mm256_fmadd_ps(x, w0, acc0[i]);
      acc1[i] = _mm256_fmadd_ps(x, w1, acc1[i]);
    }
  }
  const __m256 lo = _mm256_broadcast_ss(bounds), hi = _mm256_broadcast_ss(bounds + 1);
  // Fully unrolled, so the accumulators stay registers inside the K loop.
  #pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
    StoreRow(c + i * ldc, Clamp(acc0[i], lo, hi), Clamp(acc1[i], lo, hi), cols);
}

}  // namespace

void GemmF32Rows(const GemmF32Args& g, const float* a, size_t lda, int rows, float* c,
                 size_t ldc) {
  constexpr int kMr = 6, kW = kGemmF32PanelWidth;
  const float bounds[2] = {g.act_min, g.act_max};
  const int panels = (g.n + kW - 1) / kW;
  for (int p = 0; p < panels; ++p) {
    const float* panel = g.packed + static_cast<size_t>(p) * g.k * kW;
    const float* bias = g.bias + p * kW;
    const int cols = std::min(kW, g.n - p * kW);
    int m = 0;
    for (; m + kMr <= rows; m += kMr)
      MicroKernel<kMr>(g.k, a + m * lda, lda, panel, bias, c + m * ldc + p * kW, ldc, cols, bounds);
    const float* ar = a + m * lda;
    float* cr = c + m * ldc + p * kW;
    switch (rows - m) {
      case 5: MicroKernel<5>(g.k, ar, lda, panel, bias, cr, ldc, cols, bounds); break;
      case 4: MicroKernel<4>(g.k, ar, lda, panel, bias, cr, ldc, cols, bounds); break;
      case 3: MicroKernel<3>(g.k, ar, lda, panel, bias, cr, ldc, cols, bounds); break;
      case 2: MicroKernel<2>(g.k, ar, lda, panel, bias, cr, ldc, cols, bounds); break;
      case 1: MicroKernel<1>(g.k, ar, lda, panel, bias, cr, ldc, cols, bounds); break;
      default: break;
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
  const __m256 lo = _mm256_set1_ps(d.act_min), hi = _mm256_set1_ps(d.act_max);
  const __m256i tail = FirstLanes(C % 8);
  ForEachDepthwisePixel(g, input, output, row0, rows, [&](const float* base,
                                                          const DepthwiseTaps& tp, float* out) {
    const size_t* x_off = tp.x_off;
    const size_t* w_off = tp.w_off;
    const int taps = tp.count;
    int c = 0;
    for (; c + 32 <= C; c += 32) {
      __m256 acc[4];
      for (int v = 0; v < 4; ++v) acc[v] = _mm256_loadu_ps(d.bias + c + 8 * v);
      for (int t = 0; t < taps; ++t) {
        const float* x = base + x_off[t] + c;
        const float* w = d.filter + w_off[t] + c;
        for (int v = 0; v < 4; ++v)
          acc[v] = _mm256_fmadd_ps(_mm256_loadu_ps(x + 8 * v), _mm256_loadu_ps(w + 8 * v), acc[v]);
      }
      for (int v = 0; v < 4; ++v) _mm256_storeu_ps(out + c + 8 * v, Clamp(acc[v], lo, hi));
    }
    for (; c + 8 <= C; c += 8) {
      __m256 acc = _mm256_loadu_ps(d.bias + c);
      for (int t = 0; t < taps; ++t)
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(base + x_off[t] + c),
                              _mm256_loadu_ps(d.filter + w_off[t] + c), acc);
      _mm256_storeu_ps(out + c, Clamp(acc, lo, hi));
    }
    if (c < C) {  // masked loads never touch the lanes past C
      __m256 acc = _mm256_maskload_ps(d.bias + c, tail);
      for (int t = 0; t < taps; ++t)
        acc = _mm256_fmadd_ps(_mm256_maskload_ps(base + x_off[t] + c, tail),
                              _mm256_maskload_ps(d.filter + w_off[t] + c, tail), acc);
      alignas(32) float row[8];  // not vmaskmovps: slow stores on AMD cores
      _mm256_store_ps(row, Clamp(acc, lo, hi));
      for (int j = 0; j < C - c; ++j) out[c + j] = row[j];
    }
  });
}

}  // namespace f32_fma_avx2
}  // namespace pyrt
