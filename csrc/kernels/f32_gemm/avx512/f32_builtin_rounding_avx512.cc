// Float GEMM and depthwise rows that round as the reference bodies
// (kernels/reference/gemm_f32_body.h), on AVX-512F, built with
// -ffp-contract=off (CMakeLists.txt) so every multiply and add rounds on
// its own:
// - GEMM: sums from 0 over k in order (x * w, then add), bias added after
//   the sum, then std::min(std::max(v, lo), hi); 8 rows x one 16-column
//   panel (PackGemmF32B) per step, one zmm per row.
// - Depthwise: each sum starts from the bias, then adds x * w tap by tap
//   (fy, fx order), then the same clamp; 16 channels per zmm, kept in
//   registers over the taps. Depth multiplier 1 and <= 64 taps; others go
//   to the AVX2 build of the body.
#include <immintrin.h>

#include <cstddef>

#include "kernels/f32_gemm/f32_gemm.h"

namespace pyrt {
namespace f32_builtin_avx512 {
namespace {

inline __mmask16 FirstLanes(int n) {
  return n >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << n) - 1);
}

// One output pixel: taps [0, n) at x[t] (channel 0 of the tap's input pixel)
// and w[t] (channel 0 of the tap's filter row).
inline void Pixel(const float* const* x, const float* const* w, int n, int channels,
                  const float* bias, __m512 lo, __m512 hi, float* out) {
  for (int c = 0; c < channels; c += 16) {
    const __mmask16 m = FirstLanes(channels - c);
    __m512 acc = _mm512_maskz_loadu_ps(m, bias + c);
    for (int t = 0; t < n; ++t)
      acc = _mm512_add_ps(acc, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, x[t] + c),
                                             _mm512_maskz_loadu_ps(m, w[t] + c)));
    // max(lo, v) then min(hi, .): std::min(std::max(v, lo), hi), NaN kept.
    _mm512_mask_storeu_ps(out + c, m, _mm512_min_ps(hi, _mm512_max_ps(lo, acc)));
  }
}

// kRows rows of A times one panel: C = clamp(sum_k a[k] * w[k] + bias).
template <int kRows>
inline void GemmTile(int K, const float* a, size_t lda, const float* panel, const float* bias,
                     __mmask16 m, __m512 lo, __m512 hi, float* c, size_t ldc) {
  __m512 acc[kRows];
#pragma GCC unroll 8
  for (int i = 0; i < kRows; ++i) acc[i] = _mm512_setzero_ps();
  for (int k = 0; k < K; ++k) {
    const __m512 w = _mm512_loadu_ps(panel + 16 * k);
#pragma GCC unroll 8
    for (int i = 0; i < kRows; ++i)
      acc[i] = _mm512_add_ps(acc[i], _mm512_mul_ps(_mm512_set1_ps(a[i * lda + k]), w));
  }
  const __m512 b = _mm512_loadu_ps(bias);
#pragma GCC unroll 8
  for (int i = 0; i < kRows; ++i)
    _mm512_mask_storeu_ps(c + i * ldc, m, _mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_add_ps(acc[i], b))));
}

}  // namespace

void GemmF32Rows(const GemmF32Args& g, const float* a, size_t lda, int rows, float* c,
                 size_t ldc) {
  constexpr int kMr = 8, kW = kGemmF32PanelWidth;
  static_assert(kW == 16, "one zmm per panel row");
  const int panels = (g.n + kW - 1) / kW;
  const __m512 lo = _mm512_set1_ps(g.act_min), hi = _mm512_set1_ps(g.act_max);
  for (int p = 0; p < panels; ++p) {
    const float* panel = g.packed + static_cast<size_t>(p) * g.k * kW;
    const float* bias = g.bias + p * kW;  // padded to whole panels
    const __mmask16 m = FirstLanes(g.n - p * kW);
    float* cp = c + p * kW;
    int r = 0;
    for (; r + kMr <= rows; r += kMr)
      GemmTile<kMr>(g.k, a + r * lda, lda, panel, bias, m, lo, hi, cp + r * ldc, ldc);
    const float* ar = a + r * lda;
    float* cr = cp + r * ldc;
    switch (rows - r) {
      case 7: GemmTile<7>(g.k, ar, lda, panel, bias, m, lo, hi, cr, ldc); break;
      case 6: GemmTile<6>(g.k, ar, lda, panel, bias, m, lo, hi, cr, ldc); break;
      case 5: GemmTile<5>(g.k, ar, lda, panel, bias, m, lo, hi, cr, ldc); break;
      case 4: GemmTile<4>(g.k, ar, lda, panel, bias, m, lo, hi, cr, ldc); break;
      case 3: GemmTile<3>(g.k, ar, lda, panel, bias, m, lo, hi, cr, ldc); break;
      case 2: GemmTile<2>(g.k, ar, lda, panel, bias, m, lo, hi, cr, ldc); break;
      case 1: GemmTile<1>(g.k, ar, lda, panel, bias, m, lo, hi, cr, ldc); break;
      default: break;
    }
  }
}

void DepthwiseF32Rows(const DepthwiseF32Args& d, const float* input, int row0, int rows,
                      float* output) {
  const ConvGeometry& g = d.g;
  if (g.out_c != g.in_c || g.filter_h * g.filter_w > 64) {
    f32_builtin_avx2::DepthwiseF32Rows(d, input, row0, rows, output);
    return;
  }
  const int C = g.out_c;
  const __m512 lo = _mm512_set1_ps(d.act_min), hi = _mm512_set1_ps(d.act_max);
  const float* x[64];
  const float* w[64];
  for (int r = row0; r < row0 + rows; ++r) {  // r = b * out_h + oy
    const int b = r / g.out_h, oy = r % g.out_h;
    const float* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    for (int ox = 0; ox < g.out_w; ++ox) {
      int n = 0;
      for (int fy = 0; fy < g.filter_h; ++fy) {
        const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
        if (iy < 0 || iy >= g.in_h) continue;
        for (int fx = 0; fx < g.filter_w; ++fx) {
          const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
          if (ix < 0 || ix >= g.in_w) continue;
          x[n] = image + (static_cast<size_t>(iy) * g.in_w + ix) * C;
          w[n] = d.filter + (static_cast<size_t>(fy) * g.filter_w + fx) * C;
          ++n;
        }
      }
      Pixel(x, w, n, C, d.bias, lo, hi, output + (static_cast<size_t>(r) * g.out_w + ox) * C);
    }
  }
}

}  // namespace f32_builtin_avx512
}  // namespace pyrt
