// Float32 GEMM and depthwise bodies, the portable reference twin of the
// kernels in kernels/f32_gemm/: the including translation unit defines
// PYRT_F32_NS (a namespace name). Multiply then add, bias after the sum, as
// LiteRT's builtin float kernels round. Written with GCC/Clang vector
// extensions (8 floats) so both compilers emit straight-line SIMD code.
//
// No include guard on purpose: each ISA includes it once into its namespace.
#include <algorithm>
#include <cstddef>
#include <cstring>

#include "kernels/reference/gemm_f32.h"

namespace pyrt {
namespace PYRT_F32_NS {
namespace {

typedef float V8 __attribute__((vector_size(32)));

// By reference: passing 32-byte vectors by value changes the ABI without AVX.
inline void Load(V8& v, const float* p) { std::memcpy(&v, p, sizeof(v)); }
inline void Store(float* p, const V8& v) { std::memcpy(p, &v, sizeof(v)); }

// MR rows of A times one packed panel (K x 16) plus bias, clamped, into C.
template <int MR>
void MicroKernel(int K, const float* a, size_t lda, const float* panel, const float* bias,
                 float* c, size_t ldc, int cols, float lo, float hi) {
  V8 acc[MR][2], b0, b1;
  for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = V8{};
  for (int k = 0; k < K; ++k) {
    V8 w0, w1;
    Load(w0, panel + 16 * k);
    Load(w1, panel + 16 * k + 8);
    for (int i = 0; i < MR; ++i) {
      const float x = a[i * lda + k];
      acc[i][0] += x * w0;
      acc[i][1] += x * w1;
    }
  }
  // Bias after the sum, as LiteRT's GEMM (ruy) adds it: same rounding.
  Load(b0, bias);
  Load(b1, bias + 8);
  for (int i = 0; i < MR; ++i) {
    acc[i][0] += b0;
    acc[i][1] += b1;
    float row[kGemmF32PanelWidth];
    Store(row, acc[i][0]);
    Store(row + 8, acc[i][1]);
    for (int j = 0; j < kGemmF32PanelWidth; ++j) row[j] = std::min(std::max(row[j], lo), hi);
    std::memcpy(c + i * ldc, row, sizeof(float) * cols);
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
  const int oc = g.out_c, mult = g.out_c / g.in_c;
  for (int r = row0; r < row0 + rows; ++r) {  // r = b * out_h + oy
    const int b = r / g.out_h, oy = r % g.out_h;
    const float* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * g.in_c;
    for (int ox = 0; ox < g.out_w; ++ox) {
      float* acc = output + (static_cast<size_t>(r) * g.out_w + ox) * oc;
      std::memcpy(acc, d.bias, sizeof(float) * oc);
      for (int fy = 0; fy < g.filter_h; ++fy) {
        const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
        if (iy < 0 || iy >= g.in_h) continue;
        for (int fx = 0; fx < g.filter_w; ++fx) {
          const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
          if (ix < 0 || ix >= g.in_w) continue;
          const float* x = image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c;
          const float* w = d.filter + (static_cast<size_t>(fy) * g.filter_w + fx) * oc;
          if (mult == 1) {
            for (int c = 0; c < oc; ++c) acc[c] += x[c] * w[c];
          } else {
            for (int ic = 0; ic < g.in_c; ++ic)
              for (int j = 0; j < mult; ++j) acc[ic * mult + j] += x[ic] * w[ic * mult + j];
          }
        }
      }
      for (int c = 0; c < oc; ++c) acc[c] = std::min(std::max(acc[c], d.act_min), d.act_max);
    }
  }
}

}  // namespace PYRT_F32_NS
}  // namespace pyrt
