// Float32 GEMM 6x16 and depthwise rows with AVX2 + FMA (built with -mavx2
// -mfma; reached only through F32GemmConfigFor).
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "kernels/f32_gemm/depthwise_taps.h"
#include "kernels/f32_gemm/f32_gemm.h"
#include "kernels/row_tiles.h"

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

// MR rows of A times one packed panel (K x 16), sums started from the bias;
// NV = 2 vectors (16 columns) or 1 (the panel's first 8, for narrow tails:
// out_c = 1 segmentation heads and 16p + 8 channel counts).
// The accumulators are named variables, not an array: GCC 12 kept the array
// in registers but also stored 5 of its 12 vectors to the stack on every k
// step (15 GMAC/s; named, the loop is loads and FMAs only). 12 accumulators,
// 2 weight vectors and a broadcast take 15 of the 16 ymm registers, so the
// clamp bounds are read after the loop.
#define PYRT_ROW_INIT(i)                                  \
  __m256 acc##i##0 = b0, acc##i##1 = b1;                  \
  const float* a##i = a + (MR > i ? i : 0) * lda;         \
  (void)acc##i##0, (void)acc##i##1, (void)a##i;
#define PYRT_ROW_STEP(i)                                  \
  if constexpr (MR > i) {                                 \
    const __m256 x = _mm256_broadcast_ss(a##i + k);       \
    acc##i##0 = _mm256_fmadd_ps(x, w0, acc##i##0);        \
    if constexpr (NV == 2) acc##i##1 = _mm256_fmadd_ps(x, w1, acc##i##1); \
  }
#define PYRT_ROW_STORE(i)                                                             \
  if constexpr (MR > i)                                                               \
    StoreRow(c + i * ldc, Clamp(acc##i##0, lo, hi), Clamp(acc##i##1, lo, hi), cols);

template <int MR, int NV>
void MicroKernel(int K, const float* a, size_t lda, const float* panel, const float* bias,
                 float* c, size_t ldc, int cols, const float* bounds) {
  const __m256 b0 = _mm256_loadu_ps(bias);
  const __m256 b1 = NV == 2 ? _mm256_loadu_ps(bias + 8) : b0;
  PYRT_ROW_INIT(0) PYRT_ROW_INIT(1) PYRT_ROW_INIT(2)
  PYRT_ROW_INIT(3) PYRT_ROW_INIT(4) PYRT_ROW_INIT(5)
  for (int k = 0; k < K; ++k, panel += kGemmF32PanelWidth) {
    const __m256 w0 = _mm256_loadu_ps(panel);
    const __m256 w1 = NV == 2 ? _mm256_loadu_ps(panel + 8) : w0;
    PYRT_ROW_STEP(0) PYRT_ROW_STEP(1) PYRT_ROW_STEP(2)
    PYRT_ROW_STEP(3) PYRT_ROW_STEP(4) PYRT_ROW_STEP(5)
  }
  const __m256 lo = _mm256_broadcast_ss(bounds), hi = _mm256_broadcast_ss(bounds + 1);
  PYRT_ROW_STORE(0) PYRT_ROW_STORE(1) PYRT_ROW_STORE(2)
  PYRT_ROW_STORE(3) PYRT_ROW_STORE(4) PYRT_ROW_STORE(5)
}
#undef PYRT_ROW_INIT

// All rows of one panel, in even tiles of up to 6 (row_tiles.h).
template <int NV>
void PanelRows(int K, const float* a, size_t lda, int rows, const float* panel, const float* bias,
               float* c, size_t ldc, int cols, const float* bounds) {
  ForEachRowTile(rows, /*mr=*/6, /*even=*/true, [&](int m, int count) {
    const float* ar = a + m * lda;
    float* cr = c + m * ldc;
    switch (count) {
      case 6: return MicroKernel<6, NV>(K, ar, lda, panel, bias, cr, ldc, cols, bounds);
      case 5: return MicroKernel<5, NV>(K, ar, lda, panel, bias, cr, ldc, cols, bounds);
      case 4: return MicroKernel<4, NV>(K, ar, lda, panel, bias, cr, ldc, cols, bounds);
      case 3: return MicroKernel<3, NV>(K, ar, lda, panel, bias, cr, ldc, cols, bounds);
      case 2: return MicroKernel<2, NV>(K, ar, lda, panel, bias, cr, ldc, cols, bounds);
      case 1: return MicroKernel<1, NV>(K, ar, lda, panel, bias, cr, ldc, cols, bounds);
      default: return;
    }
  });
}

// The indirect form (IgemmF32Rows): row i's A values come from `taps`
// pointers, each to tap_len contiguous floats (an input pixel's channels, or
// zeros for padding), in the packed K order; the 6 rows' pointers of a tap
// are adjacent (kIgemmF32GroupRows), so one pointer walks the table.
#define PYRT_IROW_INIT(i)                                 \
  __m256 acc##i##0 = b0, acc##i##1 = b1;                  \
  (void)acc##i##0, (void)acc##i##1;
#define PYRT_IROW_PTR(i) const float* a##i = ind[MR > i ? i : 0]; (void)a##i;

template <int MR, int NV>
void IndirectMicroKernel(int taps, int tap_len, const float* const* ind, const float* panel,
                         const float* bias, float* c, size_t ldc, int cols, const float* bounds) {
  const __m256 b0 = _mm256_loadu_ps(bias);
  const __m256 b1 = NV == 2 ? _mm256_loadu_ps(bias + 8) : b0;
  PYRT_IROW_INIT(0) PYRT_IROW_INIT(1) PYRT_IROW_INIT(2)
  PYRT_IROW_INIT(3) PYRT_IROW_INIT(4) PYRT_IROW_INIT(5)
  for (int t = 0; t < taps; ++t, ind += kIgemmF32GroupRows) {
    PYRT_IROW_PTR(0) PYRT_IROW_PTR(1) PYRT_IROW_PTR(2)
    PYRT_IROW_PTR(3) PYRT_IROW_PTR(4) PYRT_IROW_PTR(5)
    for (int k = 0; k < tap_len; ++k, panel += kGemmF32PanelWidth) {
      const __m256 w0 = _mm256_loadu_ps(panel);
      const __m256 w1 = NV == 2 ? _mm256_loadu_ps(panel + 8) : w0;
      PYRT_ROW_STEP(0) PYRT_ROW_STEP(1) PYRT_ROW_STEP(2)
      PYRT_ROW_STEP(3) PYRT_ROW_STEP(4) PYRT_ROW_STEP(5)
    }
  }
  const __m256 lo = _mm256_broadcast_ss(bounds), hi = _mm256_broadcast_ss(bounds + 1);
  PYRT_ROW_STORE(0) PYRT_ROW_STORE(1) PYRT_ROW_STORE(2)
  PYRT_ROW_STORE(3) PYRT_ROW_STORE(4) PYRT_ROW_STORE(5)
}
#undef PYRT_IROW_INIT
#undef PYRT_IROW_PTR
#undef PYRT_ROW_STEP
#undef PYRT_ROW_STORE

template <int NV>
void IndirectPanelRows(int taps, int tap_len, const float* const* ind, int rows,
                       const float* panel, const float* bias, float* c, size_t ldc, int cols,
                       const float* bounds) {
  int m = 0;
  for (; m + 6 <= rows; m += 6)
    IndirectMicroKernel<6, NV>(taps, tap_len, ind + m * taps, panel, bias, c + m * ldc, ldc, cols,
                               bounds);
  ind += m * taps;
  c += m * ldc;
  switch (rows - m) {
    case 5: return IndirectMicroKernel<5, NV>(taps, tap_len, ind, panel, bias, c, ldc, cols, bounds);
    case 4: return IndirectMicroKernel<4, NV>(taps, tap_len, ind, panel, bias, c, ldc, cols, bounds);
    case 3: return IndirectMicroKernel<3, NV>(taps, tap_len, ind, panel, bias, c, ldc, cols, bounds);
    case 2: return IndirectMicroKernel<2, NV>(taps, tap_len, ind, panel, bias, c, ldc, cols, bounds);
    case 1: return IndirectMicroKernel<1, NV>(taps, tap_len, ind, panel, bias, c, ldc, cols, bounds);
    default: return;
  }
}

// Up to this many rows (FC at batch 1, convs to a 1x1 output: heads), each
// row against four panels at once (8 sums): one panel's 2 sums would wait
// on the FMA latency every k step while the weights stream.
constexpr int kFewRows = 2;

// One row of A times the 4 panels from `panel`, plus bias, clamped; the
// first `cols` (49..64) columns stored. The row's K = taps * tap_len values:
// a[0..K) (taps = 1), or with kIndirect tap t's tap_len values at ind[t * 6]
// (the row's pointers in IgemmF32RowsFn's table).
template <bool kIndirect>
void RowFourPanels(int taps, int tap_len, const float* a, const float* const* ind,
                   const float* panel, const float* bias, float* c, int cols,
                   const float* bounds) {
  constexpr int kW = kGemmF32PanelWidth;
  const size_t stride = static_cast<size_t>(taps) * tap_len * kW;
  __m256 acc0 = _mm256_loadu_ps(bias), acc1 = _mm256_loadu_ps(bias + 8);
  __m256 acc2 = _mm256_loadu_ps(bias + 16), acc3 = _mm256_loadu_ps(bias + 24);
  __m256 acc4 = _mm256_loadu_ps(bias + 32), acc5 = _mm256_loadu_ps(bias + 40);
  __m256 acc6 = _mm256_loadu_ps(bias + 48), acc7 = _mm256_loadu_ps(bias + 56);
  const float* w = panel;
  for (int t = 0; t < taps; ++t) {
    const float* at = kIndirect ? ind[t * kIgemmF32GroupRows] : a;
    for (int j = 0; j < tap_len; ++j, w += kW) {
      const __m256 x = _mm256_broadcast_ss(at + j);
      acc0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w), acc0);
      acc1 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w + 8), acc1);
      acc2 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w + stride), acc2);
      acc3 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w + stride + 8), acc3);
      acc4 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w + 2 * stride), acc4);
      acc5 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w + 2 * stride + 8), acc5);
      acc6 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w + 3 * stride), acc6);
      acc7 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w + 3 * stride + 8), acc7);
    }
  }
  const __m256 lo = _mm256_broadcast_ss(bounds), hi = _mm256_broadcast_ss(bounds + 1);
  StoreRow(c, Clamp(acc0, lo, hi), Clamp(acc1, lo, hi), kW);
  StoreRow(c + kW, Clamp(acc2, lo, hi), Clamp(acc3, lo, hi), kW);
  StoreRow(c + 2 * kW, Clamp(acc4, lo, hi), Clamp(acc5, lo, hi), kW);
  StoreRow(c + 3 * kW, Clamp(acc6, lo, hi), Clamp(acc7, lo, hi), cols - 3 * kW);
}

// Sum of the 8 lanes.
inline float HorizontalSum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

// n <= kGemmF32DotMaxN columns: each output the dot product of an A row and
// a B row (16 k a step in two sums, masked tail), then bias and clamp. A
// panel would spend 8 or 16 lanes on each of these columns.
void DotRows(const GemmF32Args& g, const float* a, size_t lda, int rows, float* c, size_t ldc) {
  const int K = g.k;
  const __m256i tail = FirstLanes(K % 8);
  for (int m = 0; m < rows; ++m, a += lda, c += ldc) {
    for (int j = 0; j < g.n; ++j) {
      const float* w = g.b_rows + static_cast<size_t>(j) * K;
      __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
      int k = 0;
      for (; k + 16 <= K; k += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(w + k), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(w + k + 8), acc1);
      }
      if (k + 8 <= K) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(w + k), acc0);
        k += 8;
      }
      if (k < K)  // masked loads never touch the lanes past K
        acc1 = _mm256_fmadd_ps(_mm256_maskload_ps(a + k, tail), _mm256_maskload_ps(w + k, tail),
                               acc1);
      const float v = HorizontalSum(_mm256_add_ps(acc0, acc1)) + g.bias[j];
      c[j] = std::min(std::max(v, g.act_min), g.act_max);  // keeps a NaN sum NaN
    }
  }
}

// DotRows read through the pointer table (IgemmF32Rows with b_rows): R rows
// at a time, so R independent FMA chains hide the FMA latency, each weight
// vector loaded once for all R. 1-channel heads over 8-channel inputs are
// one FMA per tap per pixel.
// Row r's pointer for tap t in the grouped table.
inline const float* RowTap(const float* const* ind, int taps, int r, int t) {
  constexpr int kG = kIgemmF32GroupRows;
  return ind[(r / kG) * kG * taps + t * kG + r % kG];
}

template <int R>
void IndirectDotBlock(const GemmF32Args& g, const float* const* ind, int taps, int tap_len,
                      int m, __m256i tail, float* c, size_t ldc) {
  for (int j = 0; j < g.n; ++j) {
    const float* w = g.b_rows + static_cast<size_t>(j) * g.k;
    __m256 acc[R];
    for (int r = 0; r < R; ++r) acc[r] = _mm256_setzero_ps();
    for (int t = 0; t < taps; ++t, w += tap_len) {
      int k = 0;
      for (; k + 8 <= tap_len; k += 8) {
        const __m256 wv = _mm256_loadu_ps(w + k);
        for (int r = 0; r < R; ++r)
          acc[r] = _mm256_fmadd_ps(_mm256_loadu_ps(RowTap(ind, taps, m + r, t) + k), wv, acc[r]);
      }
      if (k < tap_len) {  // masked loads never touch the lanes past the tap
        const __m256 wv = _mm256_maskload_ps(w + k, tail);
        for (int r = 0; r < R; ++r)
          acc[r] = _mm256_fmadd_ps(_mm256_maskload_ps(RowTap(ind, taps, m + r, t) + k, tail), wv,
                                   acc[r]);
      }
    }
    for (int r = 0; r < R; ++r) {
      const float v = HorizontalSum(acc[r]) + g.bias[j];
      c[r * ldc + j] = std::min(std::max(v, g.act_min), g.act_max);  // keeps a NaN sum NaN
    }
  }
}

void IndirectDotRows(const GemmF32Args& g, const float* const* ind, int taps, int rows, float* c,
                     size_t ldc) {
  const int tap_len = g.k / taps;
  const __m256i tail = FirstLanes(tap_len % 8);
  int m = 0;
  for (; m + 4 <= rows; m += 4)
    IndirectDotBlock<4>(g, ind, taps, tap_len, m, tail, c + m * ldc, ldc);
  for (; m < rows; ++m) IndirectDotBlock<1>(g, ind, taps, tap_len, m, tail, c + m * ldc, ldc);
}

// NP output pixels (taps from src, see depthwise_taps.h; out[p]) x NV
// vectors of 8 channels from c, sums started from the bias. Each weight
// vector is loaded once per tap for all NP pixels.
template <int NP, int NV, typename Src>
inline void DepthwiseBlock(const Src& src, const float* filter, const float* bias, int c,
                           float* const* out, __m256 lo, __m256 hi) {
  __m256 acc[NP][NV];
  for (int v = 0; v < NV; ++v) {
    const __m256 b = _mm256_loadu_ps(bias + c + 8 * v);
    for (int p = 0; p < NP; ++p) acc[p][v] = b;
  }
  for (int t = 0; t < src.count(); ++t) {
    const float* w = filter + src.w(t) + c;
    for (int v = 0; v < NV; ++v) {
      const __m256 wv = _mm256_loadu_ps(w + 8 * v);
      for (int p = 0; p < NP; ++p)
        acc[p][v] = _mm256_fmadd_ps(_mm256_loadu_ps(src.x(t, p) + c + 8 * v), wv, acc[p][v]);
    }
  }
  for (int p = 0; p < NP; ++p)
    for (int v = 0; v < NV; ++v) _mm256_storeu_ps(out[p] + c + 8 * v, Clamp(acc[p][v], lo, hi));
}

// The last C % 8 channels from c: masked loads never touch the lanes past C.
template <int NP, typename Src>
inline void DepthwiseTail(const Src& src, const float* filter, const float* bias, int c, int C,
                          __m256i mask, float* const* out, __m256 lo, __m256 hi) {
  __m256 acc[NP];
  const __m256 b = _mm256_maskload_ps(bias + c, mask);
  for (int p = 0; p < NP; ++p) acc[p] = b;
  for (int t = 0; t < src.count(); ++t) {
    const __m256 wv = _mm256_maskload_ps(filter + src.w(t) + c, mask);
    for (int p = 0; p < NP; ++p)
      acc[p] = _mm256_fmadd_ps(_mm256_maskload_ps(src.x(t, p) + c, mask), wv, acc[p]);
  }
  for (int p = 0; p < NP; ++p) {
    alignas(32) float row[8];  // not vmaskmovps: slow stores on AMD cores
    _mm256_store_ps(row, Clamp(acc[p], lo, hi));
    for (int j = 0; j < C - c; ++j) out[p][c + j] = row[j];
  }
}

// All C channels of NP pixels: 32 channels a step, then 16, 8, the tail.
template <int NP, typename Src>
inline void DepthwisePixels(const Src& src, const DepthwiseF32Args& d, int C, __m256i tail,
                            float* const* out, __m256 lo, __m256 hi) {
  int c = 0;
  if constexpr (NP <= 2)  // 8 sums; NP = 4 runs only where C < 32
    for (; c + 32 <= C; c += 32) DepthwiseBlock<NP, 4>(src, d.filter, d.bias, c, out, lo, hi);
  if (c + 16 <= C) DepthwiseBlock<NP, 2>(src, d.filter, d.bias, c, out, lo, hi), c += 16;
  if (c + 8 <= C) DepthwiseBlock<NP, 1>(src, d.filter, d.bias, c, out, lo, hi), c += 8;
  if (c < C) DepthwiseTail<NP>(src, d.filter, d.bias, c, C, tail, out, lo, hi);
}

// Narrow maps: the output pixels of the rows in groups of kNp, every tap
// (ForEachDepthwisePixelGroup; d.tap_offsets set).
template <int kNp>
void DepthwiseGroupsOf(const DepthwiseF32Args& d, const float* input, int row0, int rows,
                       float* output) {
  const ConvGeometry& g = d.g;
  const int C = g.out_c;
  const __m256 lo = _mm256_set1_ps(d.act_min), hi = _mm256_set1_ps(d.act_max);
  const __m256i tail = FirstLanes(C % 8);
  const auto run = [&](const DepthwisePixelGroup<kNp>& group) {
    const GroupTapSource<kNp> src{&group, g.filter_h * g.filter_w, static_cast<size_t>(C)};
    DepthwisePixels<kNp>(src, d, C, tail, group.out, lo, hi);
  };
  ForEachDepthwisePixelGroup<kNp>(g, d.tap_offsets, d.zeros, input, output, row0, rows, run);
}

}  // namespace

void GemmF32Rows(const GemmF32Args& g, const float* a, size_t lda, int rows, float* c,
                 size_t ldc) {
  if (g.b_rows) return DotRows(g, a, lda, rows, c, ldc);
  constexpr int kW = kGemmF32PanelWidth;
  const float bounds[2] = {g.act_min, g.act_max};
  const int panels = (g.n + kW - 1) / kW;
  for (int p = 0; p < panels; ++p) {
    const float* panel = g.packed + static_cast<size_t>(p) * g.k * kW;
    const int cols = std::min(kW, g.n - p * kW);
    float* cp = c + p * kW;
    if (rows <= kFewRows && p + 4 <= panels) {
      for (int r = 0; r < rows; ++r)
        RowFourPanels<false>(1, g.k, a + r * lda, nullptr, panel, g.bias + p * kW, cp + r * ldc,
                             std::min(4 * kW, g.n - p * kW), bounds);
      p += 3;  // and the loop's ++p
    } else if (cols > 8) {
      PanelRows<2>(g.k, a, lda, rows, panel, g.bias + p * kW, cp, ldc, cols, bounds);
    } else {
      PanelRows<1>(g.k, a, lda, rows, panel, g.bias + p * kW, cp, ldc, cols, bounds);
    }
  }
}

void IgemmF32Rows(const GemmF32Args& g, const float* const* ind, int taps, int rows, float* c,
                  size_t ldc) {
  if (g.b_rows) return IndirectDotRows(g, ind, taps, rows, c, ldc);
  constexpr int kW = kGemmF32PanelWidth;
  const float bounds[2] = {g.act_min, g.act_max};
  const int panels = (g.n + kW - 1) / kW, tap_len = g.k / taps;
  for (int p = 0; p < panels; ++p) {
    const float* panel = g.packed + static_cast<size_t>(p) * g.k * kW;
    const int cols = std::min(kW, g.n - p * kW);
    float* cp = c + p * kW;
    if (rows <= kFewRows && p + 4 <= panels) {
      for (int r = 0; r < rows; ++r)
        RowFourPanels<true>(taps, tap_len, nullptr, ind + r, panel, g.bias + p * kW, cp + r * ldc,
                            std::min(4 * kW, g.n - p * kW), bounds);
      p += 3;  // and the loop's ++p
    } else if (cols > 8) {
      IndirectPanelRows<2>(taps, tap_len, ind, rows, panel, g.bias + p * kW, cp, ldc, cols, bounds);
    } else {
      IndirectPanelRows<1>(taps, tap_len, ind, rows, panel, g.bias + p * kW, cp, ldc, cols, bounds);
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
  if (d.tap_offsets) {
    if (g.out_c < 32) return DepthwiseGroupsOf<4>(d, input, row0, rows, output);
    return DepthwiseGroupsOf<2>(d, input, row0, rows, output);
  }
  const int C = g.out_c;
  const size_t step = static_cast<size_t>(g.stride_w) * C;
  const __m256 lo = _mm256_set1_ps(d.act_min), hi = _mm256_set1_ps(d.act_max);
  const __m256i tail = FirstLanes(C % 8);
  DepthwiseTaps row_taps, edge_taps;
  for (int r = row0; r < row0 + rows; ++r) {
    const int b = r / g.out_h, oy = r % g.out_h;
    const float* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    float* out_row = output + static_cast<size_t>(r) * g.out_w * C;
    DepthwiseRowTaps(g, oy, &row_taps);
    for (int ox = 0; ox < g.out_w;) {
      float* out[2] = {out_row + static_cast<size_t>(ox) * C, nullptr};
      out[1] = out[0] + (ox + 1 < g.out_w ? C : 0);
      if (!DepthwiseColumnInterior(g, ox)) {
        DepthwisePixelTaps(g, oy, ox, &edge_taps);
        DepthwisePixels<1>(RunTapSource{&image, &edge_taps}, d, C, tail, out, lo, hi);
        ++ox;
        continue;
      }
      // Interior pixels two at a time (the second one column stride further).
      const float* base[2] = {image + static_cast<size_t>(ox * g.stride_w - g.pad_left) * C, nullptr};
      if (ox + 1 < g.out_w && DepthwiseColumnInterior(g, ox + 1)) {
        base[1] = base[0] + step;
        DepthwisePixels<2>(RunTapSource{base, &row_taps}, d, C, tail, out, lo, hi);
        ox += 2;
      } else {
        DepthwisePixels<1>(RunTapSource{base, &row_taps}, d, C, tail, out, lo, hi);
        ++ox;
      }
    }
  }
}

}  // namespace f32_fma_avx2
}  // namespace pyrt
