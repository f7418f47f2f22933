// Float32 GEMM 6x16 and depthwise rows with AArch64 NEON fmla (built with
// -march=armv8-a, which has FMA; reached only through F32GemmConfigFor).
#include <arm_neon.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/f32_gemm/depthwise_taps.h"
#include "kernels/f32_gemm/f32_gemm.h"

namespace pyrt {
namespace f32_fma_neon {
namespace {

// max(lo, v) then min(hi, .): fmax/fmin return NaN when either operand is
// NaN, so a NaN sum stays NaN, as the reference's std::min(std::max(v, lo),
// hi) keeps it.
inline float32x4_t Clamp(float32x4_t v, float32x4_t lo, float32x4_t hi) {
  return vminq_f32(hi, vmaxq_f32(lo, v));
}

// Stores the first `cols` (1..16) of a 16-float row.
inline void StoreRow(float* c, const float32x4_t* v, int cols) {
  if (cols == 16) {
    for (int j = 0; j < 4; ++j) vst1q_f32(c + 4 * j, v[j]);
    return;
  }
  float row[16];
  for (int j = 0; j < 4; ++j) vst1q_f32(row + 4 * j, v[j]);
  for (int j = 0; j < cols; ++j) c[j] = row[j];
}

// MR rows of A times one packed panel (K x 16), sums started from the bias:
// 4 * MR accumulators (24 of the 32 vector registers at MR = 6), 4 weight
// vectors, and each A value used as a lane operand of fmla.
template <int MR>
void MicroKernel(int K, const float* a, size_t lda, const float* panel, const float* bias,
                 float* c, size_t ldc, int cols, float lo_s, float hi_s) {
  float32x4_t acc[MR][4];
  for (int j = 0; j < 4; ++j) {
    const float32x4_t b = vld1q_f32(bias + 4 * j);
    for (int i = 0; i < MR; ++i) acc[i][j] = b;
  }
  for (int k = 0; k < K; ++k) {
    float32x4_t w[4];
    for (int j = 0; j < 4; ++j) w[j] = vld1q_f32(panel + 16 * k + 4 * j);
    for (int i = 0; i < MR; ++i) {
      const float x = a[i * lda + k];
      for (int j = 0; j < 4; ++j) acc[i][j] = vfmaq_n_f32(acc[i][j], w[j], x);
    }
  }
  const float32x4_t lo = vdupq_n_f32(lo_s), hi = vdupq_n_f32(hi_s);
  for (int i = 0; i < MR; ++i) {
    float32x4_t v[4];
    for (int j = 0; j < 4; ++j) v[j] = Clamp(acc[i][j], lo, hi);
    StoreRow(c + i * ldc, v, cols);
  }
}

}  // namespace

void GemmF32Rows(const GemmF32Args& g, const float* a, size_t lda, int rows, float* c,
                 size_t ldc) {
  constexpr int kMr = 6, kW = kGemmF32PanelWidth;
  const int panels = (g.n + kW - 1) / kW;
  for (int p = 0; p < panels; ++p) {
    const float* panel = g.packed + static_cast<size_t>(p) * g.k * kW;
    const float* bias = g.bias + p * kW;
    const int cols = std::min(kW, g.n - p * kW);
    int m = 0;
    for (; m + kMr <= rows; m += kMr)
      MicroKernel<kMr>(g.k, a + m * lda, lda, panel, bias, c + m * ldc + p * kW, ldc, cols,
                       g.act_min, g.act_max);
    const float* ar = a + m * lda;
    float* cr = c + m * ldc + p * kW;
    switch (rows - m) {
      case 5: MicroKernel<5>(g.k, ar, lda, panel, bias, cr, ldc, cols, g.act_min, g.act_max); break;
      case 4: MicroKernel<4>(g.k, ar, lda, panel, bias, cr, ldc, cols, g.act_min, g.act_max); break;
      case 3: MicroKernel<3>(g.k, ar, lda, panel, bias, cr, ldc, cols, g.act_min, g.act_max); break;
      case 2: MicroKernel<2>(g.k, ar, lda, panel, bias, cr, ldc, cols, g.act_min, g.act_max); break;
      case 1: MicroKernel<1>(g.k, ar, lda, panel, bias, cr, ldc, cols, g.act_min, g.act_max); break;
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
  const float32x4_t lo = vdupq_n_f32(d.act_min), hi = vdupq_n_f32(d.act_max);
  ForEachDepthwisePixel(g, input, output, row0, rows, [&](const float* base,
                                                          const DepthwiseTaps& tp, float* out) {
    const size_t* x_off = tp.x_off;
    const size_t* w_off = tp.w_off;
    const int taps = tp.count;
    int c = 0;
    for (; c + 16 <= C; c += 16) {
      float32x4_t acc[4];
      for (int v = 0; v < 4; ++v) acc[v] = vld1q_f32(d.bias + c + 4 * v);
      for (int t = 0; t < taps; ++t) {
        const float* x = base + x_off[t] + c;
        const float* w = d.filter + w_off[t] + c;
        for (int v = 0; v < 4; ++v)
          acc[v] = vfmaq_f32(acc[v], vld1q_f32(x + 4 * v), vld1q_f32(w + 4 * v));
      }
      for (int v = 0; v < 4; ++v) vst1q_f32(out + c + 4 * v, Clamp(acc[v], lo, hi));
    }
    for (; c + 4 <= C; c += 4) {
      float32x4_t acc = vld1q_f32(d.bias + c);
      for (int t = 0; t < taps; ++t)
        acc = vfmaq_f32(acc, vld1q_f32(base + x_off[t] + c), vld1q_f32(d.filter + w_off[t] + c));
      vst1q_f32(out + c, Clamp(acc, lo, hi));
    }
    for (; c < C; ++c) {  // the last C % 4 channels, fused as the lanes above
      float acc = d.bias[c];
      for (int t = 0; t < taps; ++t)
        acc = std::fma(base[x_off[t] + c], d.filter[w_off[t] + c], acc);
      out[c] = std::min(std::max(acc, d.act_min), d.act_max);
    }
  });
}

}  // namespace f32_fma_neon
}  // namespace pyrt
