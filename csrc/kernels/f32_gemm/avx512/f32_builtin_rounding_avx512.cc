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

#include "kernels/f32_gemm/depthwise_taps.h"
#include "kernels/f32_gemm/f32_gemm.h"

namespace pyrt {
namespace f32_builtin_avx512 {
namespace {

inline __mmask16 FirstLanes(int n) {
  return n >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << n) - 1);
}

// kVecs * 16 channels from c of one output pixel: sums from the bias, then
// x * w added tap by tap. Several vectors at once keep the adds' latency
// off the critical path.
template <int kVecs>
inline void Channels(const float* base, const DepthwiseTaps& tp, const float* filter,
                     const float* bias, int c, __m512 lo, __m512 hi, float* out) {
  __m512 acc[kVecs];
  for (int v = 0; v < kVecs; ++v) acc[v] = _mm512_loadu_ps(bias + c + 16 * v);
  for (int t = 0; t < tp.count; ++t) {
    const float* x = base + tp.x_off[t] + c;
    const float* w = filter + tp.w_off[t] + c;
    for (int v = 0; v < kVecs; ++v)
      acc[v] = _mm512_add_ps(acc[v], _mm512_mul_ps(_mm512_loadu_ps(x + 16 * v), _mm512_loadu_ps(w + 16 * v)));
  }
  // max(lo, v) then min(hi, .): std::min(std::max(v, lo), hi), NaN kept.
  for (int v = 0; v < kVecs; ++v)
    _mm512_storeu_ps(out + c + 16 * v, _mm512_min_ps(hi, _mm512_max_ps(lo, acc[v])));
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
  if (g.out_c != g.in_c || g.filter_h * g.filter_w > DepthwiseTaps::kMax) {
    f32_builtin_avx2::DepthwiseF32Rows(d, input, row0, rows, output);
    return;
  }
  const int C = g.out_c;
  const __m512 lo = _mm512_set1_ps(d.act_min), hi = _mm512_set1_ps(d.act_max);
  const __mmask16 tail = FirstLanes(C % 16);
  // Taps in the reference's order (fy, fx, inside the image only).
  ForEachDepthwisePixel(g, input, output, row0, rows, [&](const float* base,
                                                          const DepthwiseTaps& tp, float* out) {
    int c = 0;
    for (; c + 64 <= C; c += 64) Channels<4>(base, tp, d.filter, d.bias, c, lo, hi, out);
    if (c + 32 <= C) {
      Channels<2>(base, tp, d.filter, d.bias, c, lo, hi, out);
      c += 32;
    }
    if (c + 16 <= C) {
      Channels<1>(base, tp, d.filter, d.bias, c, lo, hi, out);
      c += 16;
    }
    if (c < C) {  // masked loads never touch the lanes past C
      __m512 acc = _mm512_maskz_loadu_ps(tail, d.bias + c);
      for (int t = 0; t < tp.count; ++t)
        acc = _mm512_add_ps(acc, _mm512_mul_ps(_mm512_maskz_loadu_ps(tail, base + tp.x_off[t] + c),
                                               _mm512_maskz_loadu_ps(tail, d.filter + tp.w_off[t] + c)));
      _mm512_mask_storeu_ps(out + c, tail, _mm512_min_ps(hi, _mm512_max_ps(lo, acc)));
    }
  });
}

}  // namespace f32_builtin_avx512
}  // namespace pyrt
