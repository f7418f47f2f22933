// Float32 GEMM (C = clamp(A * B + bias)) and depthwise convolution rows, with
// one body (gemm_f32_body.h) compiled per ISA and picked at run time.
// Neither path contracts to FMA (LiteRT's builtin float kernels do not), so
// float models stay within a 1e-5 relative error of LiteRT.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/isa.h"

namespace pyrt {

constexpr int kGemmF32PanelWidth = 16;

struct GemmF32Args {
  int n = 0, k = 0;                 // B is k x n
  const float* packed = nullptr;    // PackGemmF32B layout
  const float* bias = nullptr;      // n rounded up to a panel, zero padded
  float act_min = 0.f, act_max = 0.f;
};

// B given as rows of `w` [n][k] (TFLite filter / FC weight order), stored as
// panels of 16 columns: panel p holds B[k][16p..16p+15] contiguous per k.
std::vector<float> PackGemmF32B(const float* w, int n, int k);
// Bias (or zeros when null) padded to whole panels.
std::vector<float> PadGemmF32Bias(const float* bias, int n);

struct DepthwiseF32Args {
  ConvGeometry g{};
  const float* filter = nullptr;  // [1][filter_h][filter_w][out_c]
  const float* bias = nullptr;    // out_c
  float act_min = 0.f, act_max = 0.f;
};

using GemmF32RowsFn = void (*)(const GemmF32Args& g, const float* a, size_t lda, int rows,
                               float* c, size_t ldc);
// Rows row0.. of the output as (batch * out_h + oy).
using DepthwiseF32RowsFn = void (*)(const DepthwiseF32Args& d, const float* input, int row0,
                                    int rows, float* output);

GemmF32RowsFn GemmF32ForIsa(Isa isa);
DepthwiseF32RowsFn DepthwiseF32ForIsa(Isa isa);

// The per-ISA instantiations of gemm_f32_body.h.
namespace f32_portable {
void GemmF32Rows(const GemmF32Args&, const float*, size_t, int, float*, size_t);
void DepthwiseF32Rows(const DepthwiseF32Args&, const float*, int, int, float*);
}  // namespace f32_portable
namespace f32_avx2 {
void GemmF32Rows(const GemmF32Args&, const float*, size_t, int, float*, size_t);
void DepthwiseF32Rows(const DepthwiseF32Args&, const float*, int, int, float*);
}  // namespace f32_avx2

}  // namespace pyrt
