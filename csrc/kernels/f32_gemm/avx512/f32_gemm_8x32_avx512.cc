// Float32 GEMM 8x32 (two packed 16-column panels, one zmm each), its
// indirect form for convolutions (6x32: the indirection table's 6-row
// groups), and depthwise rows (4 pixels x up to 64 channels) with AVX-512F (built with the avx512 flags; reached only
// through F32GemmConfigFor on the avx512vnni path, whose CPUs all have
// AVX-512F).
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "kernels/f32_gemm/depthwise_taps.h"
#include "kernels/f32_gemm/f32_gemm.h"
#include "kernels/row_tiles.h"

namespace pyrt {
namespace f32_avx512 {
namespace {

inline __mmask16 FirstLanes(int n) { return static_cast<__mmask16>((1u << n) - 1); }  // n in [0, 16]

// Operand order keeps a NaN sum NaN, as the reference's clamp does.
inline __m512 Clamp(__m512 v, __m512 lo, __m512 hi) {
  return _mm512_min_ps(hi, _mm512_max_ps(lo, v));
}

// GemmF32Args' fused tail, its steps as kTail bits (compile-time: with
// run-time tests between them GCC spilled the accumulators of every tile).
constexpr int kPrelu = 1, kAdd = 2, kRelu = 4;

// The tail of one tile: residual and slopes from the tile's first row and
// column, bounds in g. Pointers only: copied per tile, vectors here went
// through the stack.
struct Tail {
  const float* residual;
  const float* alpha;
  const GemmF32Args* g;
};

inline Tail TailOf(const GemmF32Args& g) { return Tail{g.residual, g.alpha, &g}; }

inline Tail Advance(Tail t, size_t rows_ldc, int cols) {
  if (t.residual) t.residual += rows_ldc + cols;
  t.alpha += cols;
  return t;
}

// Clamps and stores an MR x NP tile, the first `cols` (1..16 * NP) columns;
// with kTail, the fused steps between (the operand orders of f32_vops' Add,
// Clamp and Prelu, so the results are theirs bit for bit).
// Both loops fully unrolled and no early exit (an empty mask stores
// nothing): otherwise GCC keeps `acc` in memory and spills all of it after
// the k loop, which costs as much as the loop itself at K = 16.
template <int MR, int NP, int kTail>
inline void StoreTile(const __m512 (&acc)[MR][NP], float* c, size_t ldc, int cols, __m512 lo,
                      __m512 hi, const Tail& t) {
  constexpr int kW = kGemmF32PanelWidth;
  __m512 add_lo, add_hi, clamp_lo, clamp_hi;
  if constexpr (kTail != 0) {
    add_lo = _mm512_set1_ps(t.g->add_lo), add_hi = _mm512_set1_ps(t.g->add_hi);
    clamp_lo = _mm512_set1_ps(t.g->clamp_lo), clamp_hi = _mm512_set1_ps(t.g->clamp_hi);
  }
  #pragma GCC unroll 4
  for (int j = 0; j < NP; ++j) {
    const __mmask16 mask = FirstLanes(std::max(0, std::min(kW, cols - kW * j)));
    #pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      __m512 v = Clamp(acc[i][j], lo, hi);
      if constexpr (kTail & kAdd)
        v = Clamp(_mm512_add_ps(v, _mm512_maskz_loadu_ps(mask, t.residual + i * ldc + kW * j)),
                  add_lo, add_hi);
      if constexpr (kTail & kRelu) v = _mm512_min_ps(clamp_hi, _mm512_max_ps(v, clamp_lo));
      if constexpr (kTail & kPrelu) {
        // x >= 0 ? x : x * alpha (NaN: x * alpha).
        const __mmask16 neg = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NGE_UQ);
        v = _mm512_mask_mul_ps(v, neg, v, _mm512_loadu_ps(t.alpha + kW * j));
      }
      _mm512_mask_storeu_ps(c + i * ldc + kW * j, mask, v);
    }
  }
}

// MR rows of A times NP consecutive packed panels (K x 16 each), sums
// started from the bias; `cols` (1..16 * NP) columns are stored.
template <int MR, int NP, int kTail>
void MicroKernel(int K, const float* a, size_t lda, const float* panel, const float* bias,
                 float* c, size_t ldc, int cols, __m512 lo, __m512 hi, const Tail& t) {
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
  StoreTile<MR, NP, kTail>(acc, c, ldc, cols, lo, hi, t);
}

template <int NP, int kTail>
void PanelRows(const GemmF32Args& g, const float* a, size_t lda, int rows, const float* panel,
               const float* bias, float* c, size_t ldc, int cols, __m512 lo, __m512 hi,
               const Tail& t0) {
  // Even tiles: 49 rows as 7 x 7, not 6 x 8 + 1 (row_tiles.h).
  ForEachRowTile(rows, /*mr=*/8, /*even=*/true, [&](int m, int count) {
    const float* ar = a + m * lda;
    float* cr = c + m * ldc;
    const Tail t = Advance(t0, m * ldc, 0);
    switch (count) {
      case 8: return MicroKernel<8, NP, kTail>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi, t);
      case 7: return MicroKernel<7, NP, kTail>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi, t);
      case 6: return MicroKernel<6, NP, kTail>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi, t);
      case 5: return MicroKernel<5, NP, kTail>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi, t);
      case 4: return MicroKernel<4, NP, kTail>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi, t);
      case 3: return MicroKernel<3, NP, kTail>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi, t);
      case 2: return MicroKernel<2, NP, kTail>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi, t);
      case 1: return MicroKernel<1, NP, kTail>(g.k, ar, lda, panel, bias, cr, ldc, cols, lo, hi, t);
      default: return;
    }
  });
}

// The indirect form (IgemmF32Rows): MR <= 6 rows whose A values come from
// `taps` pointers each (tap_len contiguous floats: an input pixel's channels,
// or zeros for padding), times NP packed panels. The 6 rows' pointers of a
// tap are adjacent (kIgemmF32GroupRows), so one pointer walks the table.
template <int MR, int NP, int kTail>
void IndirectMicroKernel(int taps, int tap_len, const float* const* ind, const float* panel,
                         const float* bias, float* c, size_t ldc, int cols, __m512 lo,
                         __m512 hi, const Tail& tl) {
  constexpr int kW = kGemmF32PanelWidth;
  const size_t panel_stride = static_cast<size_t>(taps) * tap_len * kW;
  __m512 acc[MR][NP];
  for (int j = 0; j < NP; ++j) {
    const __m512 b = _mm512_loadu_ps(bias + kW * j);
    for (int i = 0; i < MR; ++i) acc[i][j] = b;
  }
  for (int t = 0; t < taps; ++t, ind += kIgemmF32GroupRows) {
    const float* a[MR];
    for (int i = 0; i < MR; ++i) a[i] = ind[i];
    for (int k = 0; k < tap_len; ++k, panel += kW) {
      __m512 w[NP];
      for (int j = 0; j < NP; ++j) w[j] = _mm512_loadu_ps(panel + j * panel_stride);
      for (int i = 0; i < MR; ++i) {
        const __m512 x = _mm512_set1_ps(a[i][k]);
        for (int j = 0; j < NP; ++j) acc[i][j] = _mm512_fmadd_ps(x, w[j], acc[i][j]);
      }
    }
  }
  StoreTile<MR, NP, kTail>(acc, c, ldc, cols, lo, hi, tl);
}

template <int NP, int kTail>
void IndirectPanelRows(int taps, int tap_len, const float* const* ind, int rows,
                       const float* panel, const float* bias, float* c, size_t ldc, int cols,
                       __m512 lo, __m512 hi, const Tail& t0) {
  constexpr int kG = kIgemmF32GroupRows;
  int m = 0;
  for (; m + kG <= rows; m += kG)
    IndirectMicroKernel<kG, NP, kTail>(taps, tap_len, ind + m * taps, panel, bias, c + m * ldc,
                                       ldc, cols, lo, hi, Advance(t0, m * ldc, 0));
  ind += m * taps;
  c += m * ldc;
  const Tail t = Advance(t0, m * ldc, 0);
  switch (rows - m) {
    case 5: return IndirectMicroKernel<5, NP, kTail>(taps, tap_len, ind, panel, bias, c, ldc, cols, lo, hi, t);
    case 4: return IndirectMicroKernel<4, NP, kTail>(taps, tap_len, ind, panel, bias, c, ldc, cols, lo, hi, t);
    case 3: return IndirectMicroKernel<3, NP, kTail>(taps, tap_len, ind, panel, bias, c, ldc, cols, lo, hi, t);
    case 2: return IndirectMicroKernel<2, NP, kTail>(taps, tap_len, ind, panel, bias, c, ldc, cols, lo, hi, t);
    case 1: return IndirectMicroKernel<1, NP, kTail>(taps, tap_len, ind, panel, bias, c, ldc, cols, lo, hi, t);
    default: return;
  }
}
static_assert(kIgemmF32GroupRows == 6, "IndirectPanelRows' remainder cases cover 1..5 rows");

// NP output pixels (taps from src, see depthwise_taps.h; out[p]) x NV
// vectors of 16 channels from c, sums started from the bias. Each weight
// vector is loaded once per tap for all NP pixels, and the NP * NV
// independent sums hide the FMA latency even at 16 or 32 channels.
template <int NP, int NV, typename Src>
inline void DepthwiseBlock(const Src& src, const float* filter, const float* bias, int c,
                           float* const* out, __m512 lo, __m512 hi) {
  __m512 acc[NP][NV];
  for (int v = 0; v < NV; ++v) {
    const __m512 b = _mm512_loadu_ps(bias + c + 16 * v);
    for (int p = 0; p < NP; ++p) acc[p][v] = b;
  }
  for (int t = 0; t < src.count(); ++t) {
    const float* w = filter + src.w(t) + c;
    for (int v = 0; v < NV; ++v) {
      const __m512 wv = _mm512_loadu_ps(w + 16 * v);
      for (int p = 0; p < NP; ++p)
        acc[p][v] = _mm512_fmadd_ps(_mm512_loadu_ps(src.x(t, p) + c + 16 * v), wv, acc[p][v]);
    }
  }
  for (int p = 0; p < NP; ++p)
    for (int v = 0; v < NV; ++v) _mm512_storeu_ps(out[p] + c + 16 * v, Clamp(acc[p][v], lo, hi));
}

// The last C % 16 channels from c: masked loads never touch the lanes past C.
template <int NP, typename Src>
inline void DepthwiseTail(const Src& src, const float* filter, const float* bias, int c,
                          __mmask16 mask, float* const* out, __m512 lo, __m512 hi) {
  __m512 acc[NP];
  const __m512 b = _mm512_maskz_loadu_ps(mask, bias + c);
  for (int p = 0; p < NP; ++p) acc[p] = b;
  for (int t = 0; t < src.count(); ++t) {
    const __m512 wv = _mm512_maskz_loadu_ps(mask, filter + src.w(t) + c);
    for (int p = 0; p < NP; ++p)
      acc[p] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, src.x(t, p) + c), wv, acc[p]);
  }
  for (int p = 0; p < NP; ++p) _mm512_mask_storeu_ps(out[p] + c, mask, Clamp(acc[p], lo, hi));
}

// All C channels of NP pixels: 64 channels a step, then 32, 16, the tail.
template <int NP, typename Src>
inline void DepthwisePixels(const Src& src, const DepthwiseF32Args& d, int C, __mmask16 tail,
                            float* const* out, __m512 lo, __m512 hi) {
  int c = 0;
  if constexpr (NP <= 4)  // 16 sums; NP = 8 runs only where C < 64
    for (; c + 64 <= C; c += 64) DepthwiseBlock<NP, 4>(src, d.filter, d.bias, c, out, lo, hi);
  if (c + 32 <= C) DepthwiseBlock<NP, 2>(src, d.filter, d.bias, c, out, lo, hi), c += 32;
  if (c + 16 <= C) DepthwiseBlock<NP, 1>(src, d.filter, d.bias, c, out, lo, hi), c += 16;
  if (c < C) DepthwiseTail<NP>(src, d.filter, d.bias, c, tail, out, lo, hi);
}

}  // namespace

namespace {

// Up to this many rows (FC at batch 1, convs to a 1x1 output: heads), four
// panels a step: two would leave 2-4 sums, each k step waiting on the FMA
// latency, while the weights stream from memory (face_landmark's 1404 x 288
// head).
constexpr int kFewRows = 2;

// Weights streaming from memory (GemmF32Args::weights_stream) in panels of
// up to kStreamOnePanelMaxK k steps (64 bytes each), against up to
// kStreamOnePanelMaxRows rows, are read one panel at a time, in storage
// order: one sequential stream, where two panels side by side restart two
// streams every 2 panels. EfficientNetV2B0 float's 2x2-map expand convs (4
// rows, K = 192, 885 KB of weights from DRAM): 55 -> 30 us; its 4x4 ones
// (16 rows, K = 112): 33 -> 20 us. Longer panels keep two at a time (its
// K = 1152 projections: 20 us, 26 with one panel), and so do more rows,
// where the tile's loads bound the time (MobileNetV2's 7x7 layers, 49 rows,
// K = 160: 91 us, 109 with one panel).
constexpr int kStreamOnePanelMaxK = 512;
constexpr int kStreamOnePanelMaxRows = 16;

template <int kTail>
void GemmRows(const GemmF32Args& g, const float* a, size_t lda, int rows, float* c, size_t ldc) {
  constexpr int kW = kGemmF32PanelWidth;
  const __m512 lo = _mm512_set1_ps(g.act_min), hi = _mm512_set1_ps(g.act_max);
  const Tail t = kTail ? TailOf(g) : Tail{};
  const int panels = (g.n + kW - 1) / kW;
  const bool one_panel =
      g.weights_stream && g.k <= kStreamOnePanelMaxK && rows <= kStreamOnePanelMaxRows;
  for (int p = 0; p < panels;) {
    const float* panel = g.packed + static_cast<size_t>(p) * g.k * kW;
    const float* bias = g.bias + p * kW;
    const int cols = std::min(2 * kW, g.n - p * kW);
    const Tail tp = kTail ? Advance(t, 0, p * kW) : t;
    if (rows <= kFewRows && p + 4 <= panels && !one_panel) {  // see kFewRows
      const int cols4 = std::min(4 * kW, g.n - p * kW);
      if (rows == 1) {
        MicroKernel<1, 4, kTail>(g.k, a, lda, panel, bias, c + p * kW, ldc, cols4, lo, hi, tp);
      } else {
        MicroKernel<2, 4, kTail>(g.k, a, lda, panel, bias, c + p * kW, ldc, cols4, lo, hi, tp);
      }
      p += 4;
    } else if (p + 2 <= panels && !one_panel) {
      PanelRows<2, kTail>(g, a, lda, rows, panel, bias, c + p * kW, ldc, cols, lo, hi, tp);
      p += 2;
    } else {
      PanelRows<1, kTail>(g, a, lda, rows, panel, bias, c + p * kW, ldc, cols, lo, hi, tp);
      p += 1;
    }
  }
}

template <int kTail>
void IgemmRows(const GemmF32Args& g, const float* const* ind, int taps, int rows, float* c,
               size_t ldc) {
  constexpr int kW = kGemmF32PanelWidth;
  const __m512 lo = _mm512_set1_ps(g.act_min), hi = _mm512_set1_ps(g.act_max);
  const Tail t = kTail ? TailOf(g) : Tail{};
  const int panels = (g.n + kW - 1) / kW, tap_len = g.k / taps;
  for (int p = 0; p < panels;) {
    const float* panel = g.packed + static_cast<size_t>(p) * g.k * kW;
    const float* bias = g.bias + p * kW;
    const int cols = std::min(2 * kW, g.n - p * kW);
    const Tail tp = kTail ? Advance(t, 0, p * kW) : t;
    if (rows <= kFewRows && p + 4 <= panels) {  // see kFewRows
      const int cols4 = std::min(4 * kW, g.n - p * kW);
      if (rows == 1) {
        IndirectMicroKernel<1, 4, kTail>(taps, tap_len, ind, panel, bias, c + p * kW, ldc, cols4,
                                         lo, hi, tp);
      } else {
        IndirectMicroKernel<2, 4, kTail>(taps, tap_len, ind, panel, bias, c + p * kW, ldc, cols4,
                                         lo, hi, tp);
      }
      p += 4;
    } else if (p + 2 <= panels) {
      IndirectPanelRows<2, kTail>(taps, tap_len, ind, rows, panel, bias, c + p * kW, ldc, cols, lo,
                                  hi, tp);
      p += 2;
    } else {
      IndirectPanelRows<1, kTail>(taps, tap_len, ind, rows, panel, bias, c + p * kW, ldc, cols, lo,
                                  hi, tp);
      p += 1;
    }
  }
}

// Calls run(std::integral_constant<int, kTail>) with the kTail bits of g's
// fused tail (0 without one: alpha null), a compile-time constant per case.
template <typename Run>
inline void WithTailSteps(const GemmF32Args& g, Run&& run) {
  const int steps = g.alpha ? kPrelu | (g.residual ? kAdd : 0) | (g.clamp ? kRelu : 0) : 0;
  switch (steps) {
    case kPrelu: return run(std::integral_constant<int, kPrelu>{});
    case kPrelu | kAdd: return run(std::integral_constant<int, kPrelu | kAdd>{});
    case kPrelu | kRelu: return run(std::integral_constant<int, kPrelu | kRelu>{});
    case kPrelu | kAdd | kRelu: return run(std::integral_constant<int, kPrelu | kAdd | kRelu>{});
    default: return run(std::integral_constant<int, 0>{});
  }
}

}  // namespace

void GemmF32Rows(const GemmF32Args& g, const float* a, size_t lda, int rows, float* c,
                 size_t ldc) {
  WithTailSteps(g, [&](auto tail) { GemmRows<decltype(tail)::value>(g, a, lda, rows, c, ldc); });
}

void IgemmF32Rows(const GemmF32Args& g, const float* const* ind, int taps, int rows, float* c,
                  size_t ldc) {
  WithTailSteps(g, [&](auto tail) { IgemmRows<decltype(tail)::value>(g, ind, taps, rows, c, ldc); });
}

namespace {

// Output rows, interior pixels kNp at a time (adjacent columns share taps).
template <int kNp>
void DepthwiseRowsOf(const DepthwiseF32Args& d, const float* input, int row0, int rows,
                     float* output) {
  const ConvGeometry& g = d.g;
  const int C = g.out_c;
  const size_t step = static_cast<size_t>(g.stride_w) * C;
  const __m512 lo = _mm512_set1_ps(d.act_min), hi = _mm512_set1_ps(d.act_max);
  const __mmask16 tail = FirstLanes(C % 16);
  DepthwiseTaps row_taps, edge_taps;
  for (int r = row0; r < row0 + rows; ++r) {
    const int b = r / g.out_h, oy = r % g.out_h;
    const float* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    float* out_row = output + static_cast<size_t>(r) * g.out_w * C;
    DepthwiseRowTaps(g, oy, &row_taps);
    for (int ox = 0; ox < g.out_w;) {
      float* out[kNp];
      for (int p = 0; p < kNp; ++p) out[p] = out_row + static_cast<size_t>(ox + p) * C;
      if (!DepthwiseColumnInterior(g, ox)) {
        DepthwisePixelTaps(g, oy, ox, &edge_taps);
        DepthwisePixels<1>(RunTapSource{&image, &edge_taps}, d, C, tail, out, lo, hi);
        ++ox;
        continue;
      }
      // Interior columns form one run, so kNp of them when the last one is.
      const float* base[kNp];
      base[0] = image + static_cast<size_t>(ox * g.stride_w - g.pad_left) * C;
      for (int p = 1; p < kNp; ++p) base[p] = base[p - 1] + step;
      // Then the run's last columns 4 and 2 at a time: one at a time, a
      // pixel's NV sums wait on the FMA latency (96-column rows of 16
      // channels ended in 6 such pixels after 11 blocks of 8).
      auto run = [&](int n) { return ox + n <= g.out_w && DepthwiseColumnInterior(g, ox + n - 1); };
      if (run(kNp)) {
        DepthwisePixels<kNp>(RunTapSource{base, &row_taps}, d, C, tail, out, lo, hi);
        ox += kNp;
      } else if (kNp > 4 && run(4)) {
        DepthwisePixels<4>(RunTapSource{base, &row_taps}, d, C, tail, out, lo, hi);
        ox += 4;
      } else if (run(2)) {
        DepthwisePixels<2>(RunTapSource{base, &row_taps}, d, C, tail, out, lo, hi);
        ox += 2;
      } else {
        DepthwisePixels<1>(RunTapSource{base, &row_taps}, d, C, tail, out, lo, hi);
        ++ox;
      }
    }
  }
}

// Narrow maps: the output pixels of the rows in groups of kNp, every tap
// (ForEachDepthwisePixelGroup; d.tap_offsets set).
template <int kNp>
void DepthwiseGroupsOf(const DepthwiseF32Args& d, const float* input, int row0, int rows,
                       float* output) {
  const ConvGeometry& g = d.g;
  const int C = g.out_c;
  const __m512 lo = _mm512_set1_ps(d.act_min), hi = _mm512_set1_ps(d.act_max);
  const __mmask16 tail = FirstLanes(C % 16);
  const auto run = [&](const DepthwisePixelGroup<kNp>& group) {
    const GroupTapSource<kNp> src{&group, g.filter_h * g.filter_w, static_cast<size_t>(C)};
    DepthwisePixels<kNp>(src, d, C, tail, group.out, lo, hi);
  };
  ForEachDepthwisePixelGroup<kNp>(g, d.tap_offsets, d.zeros, input, output, row0, rows, run);
}

}  // namespace

void DepthwiseF32Rows(const DepthwiseF32Args& d, const float* input, int row0, int rows,
                      float* output) {
  const ConvGeometry& g = d.g;
  constexpr int kMaxTaps = DepthwiseTaps::kMax;
  if (g.out_c != g.in_c || g.filter_h * g.filter_w > kMaxTaps) {
    f32_portable::DepthwiseF32Rows(d, input, row0, rows, output);  // multiplier > 1, huge filters
    return;
  }
  if (d.tap_offsets) {  // 16 sums a block either way
    if (g.out_c < 64) return DepthwiseGroupsOf<8>(d, input, row0, rows, output);
    return DepthwiseGroupsOf<4>(d, input, row0, rows, output);
  }
  // Under 64 channels other than 32, 4 pixels leave as few as 4 independent
  // sums per vector (24 channels: 16 + a masked 8), too few to hide the FMA
  // latency: 8 pixels (BlazeFace's 64x64x24 layers 0.073 -> 0.067 ms). At 32
  // channels, 4 pixels already make 8 sums.
  if (g.out_c < 64 && g.out_c != 32) return DepthwiseRowsOf<8>(d, input, row0, rows, output);
  DepthwiseRowsOf<4>(d, input, row0, rows, output);
}

}  // namespace f32_avx512
}  // namespace pyrt
