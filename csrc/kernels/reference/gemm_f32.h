// Float32 GEMM (C = clamp(A * B + bias)) and depthwise convolution rows: the
// weight packing, and the portable body (gemm_f32_body.h, no FMA: the
// reference twin). The SIMD paths (FMA) live in kernels/f32_gemm/ and are
// picked at run time by F32GemmConfigFor; all stay within the float oracle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/isa.h"

namespace pyrt {

// Floats from a 64-byte boundary: packed panels and depthwise filters are
// read a cache line per zmm vector, and a load straddling two lines takes
// two L1 accesses (std::vector<float> gives 16-byte alignment).
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlign{64};
  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, size_t) { ::operator delete(p, kAlign); }
  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const CacheLineAllocator<U>&) const { return false; }
};
using AlignedFloats = std::vector<float, CacheLineAllocator<float>>;

constexpr int kGemmF32PanelWidth = 16;
// Up to this many columns, B's rows are kept too (GemmF32Args::b_rows).
constexpr int kGemmF32DotMaxN = 4;

struct GemmF32Args {
  int n = 0, k = 0;                 // B is k x n
  const float* packed = nullptr;    // PackGemmF32B layout
  const float* bias = nullptr;      // n rounded up to a panel, zero padded
  float act_min = 0.f, act_max = 0.f;
  // B as rows [n][k] when n <= kGemmF32DotMaxN, else null: SIMD paths may
  // compute such narrow outputs (1-channel heads) as dot products along k,
  // where a 16-column panel would be mostly padding.
  const float* b_rows = nullptr;
  // B streams from memory (few rows against weights larger than L2: each
  // weight is used by those rows only, then evicted): kernels may pick the
  // order of reading it (one sequential stream).
  bool weights_stream = false;
  // Elementwise steps after the clamp (a conv's fused ADD / RELU / PRELU,
  // ConvF32Epilogue), done in registers by the kernels whose config sets
  // F32GemmConfig::fused_tail, when `alpha` is set, in this order:
  // + residual (row i, column j at residual[i * ldc + j], rows counted from
  // the call's first) clamped as f32_vops' Add; the RELU family's clamp when
  // `clamp`; PRELU with the slopes (padded to whole panels; ones without a
  // PRELU: x * 1 == x, bit for bit).
  const float* alpha = nullptr;
  const float* residual = nullptr;
  float add_lo = 0.f, add_hi = 0.f;
  bool clamp = false;
  float clamp_lo = 0.f, clamp_hi = 0.f;
};

// B given as rows of `w` [n][k] (TFLite filter / FC weight order), stored as
// panels of 16 columns: panel p holds B[k][16p..16p+15] contiguous per k.
AlignedFloats PackGemmF32B(const float* w, int n, int k);
// Bias (or zeros when null) padded to whole panels.
AlignedFloats PadGemmF32Bias(const float* bias, int n);

struct DepthwiseF32Args {
  ConvGeometry g{};
  const float* filter = nullptr;  // [1][filter_h][filter_w][out_c]
  const float* bias = nullptr;    // out_c
  float act_min = 0.f, act_max = 0.f;
  // For narrow maps (out_w <= 8) with a finite filter, else null: the SIMD
  // kernels' pixel groups (kernels/f32_gemm/depthwise_taps.h), every tap's
  // input offset per output pixel of an image (-1 outside the input: read
  // `zeros`, out_c of them).
  const int32_t* tap_offsets = nullptr;
  const float* zeros = nullptr;
};

using GemmF32RowsFn = void (*)(const GemmF32Args& g, const float* a, size_t lda, int rows,
                               float* c, size_t ldc);
// The same product with A given indirectly: row r's K = taps * (k / taps)
// values are p[0 .. k / taps) for each tap t in order, p the pointer at
// ind[(r / G) * G * taps + t * G + r % G], G = kIgemmF32GroupRows (the rows
// of a micro-kernel tile read one run of pointers per tap).
constexpr int kIgemmF32GroupRows = 6;
using IgemmF32RowsFn = void (*)(const GemmF32Args& g, const float* const* ind, int taps, int rows,
                                float* c, size_t ldc);
// Rows row0.. of the output as (batch * out_h + oy).
using DepthwiseF32RowsFn = void (*)(const DepthwiseF32Args& d, const float* input, int row0,
                                    int rows, float* output);

GemmF32RowsFn GemmF32ForIsa(Isa isa);
DepthwiseF32RowsFn DepthwiseF32ForIsa(Isa isa);

// The portable instantiation of gemm_f32_body.h (the reference twin).
namespace f32_portable {
void GemmF32Rows(const GemmF32Args&, const float*, size_t, int, float*, size_t);
void DepthwiseF32Rows(const DepthwiseF32Args&, const float*, int, int, float*);
}  // namespace f32_portable
}  // namespace pyrt
