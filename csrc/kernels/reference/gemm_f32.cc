#include "kernels/reference/gemm_f32.h"

#include <algorithm>

#define PYRT_F32_NS f32_portable
#include "kernels/reference/gemm_f32_body.h"
#undef PYRT_F32_NS

#include "kernels/f32_gemm/f32_gemm.h"

namespace pyrt {

AlignedFloats PackGemmF32B(const float* w, int n, int k) {
  constexpr int kW = kGemmF32PanelWidth;
  const int panels = (n + kW - 1) / kW;
  AlignedFloats packed(static_cast<size_t>(panels) * k * kW, 0.f);
  // Row by row of each panel: the stores run along the panel and its kW
  // weight rows stay in L1 (column by column, every store touched another
  // line; that was most of loading a float model).
  for (int p = 0; p < panels; ++p) {
    const int cols = std::min(kW, n - p * kW);
    float* dst = packed.data() + static_cast<size_t>(p) * k * kW;
    const float* src = w + static_cast<size_t>(p) * kW * k;
    for (int i = 0; i < k; ++i, dst += kW)
      for (int j = 0; j < cols; ++j) dst[j] = src[static_cast<size_t>(j) * k + i];
  }
  return packed;
}

AlignedFloats PadGemmF32Bias(const float* bias, int n) {
  constexpr int kW = kGemmF32PanelWidth;
  AlignedFloats padded(static_cast<size_t>((n + kW - 1) / kW) * kW, 0.f);
  if (bias) std::copy(bias, bias + n, padded.begin());
  return padded;
}

GemmF32RowsFn GemmF32ForIsa(Isa isa) { return F32GemmConfigFor(isa).gemm; }

DepthwiseF32RowsFn DepthwiseF32ForIsa(Isa isa) { return F32GemmConfigFor(isa).depthwise; }

}  // namespace pyrt
