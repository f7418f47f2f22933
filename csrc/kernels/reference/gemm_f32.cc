#include "kernels/reference/gemm_f32.h"

#define PYRT_F32_NS f32_portable
#include "kernels/reference/gemm_f32_body.h"
#undef PYRT_F32_NS

#include "kernels/f32_gemm/f32_gemm.h"

namespace pyrt {

AlignedFloats PackGemmF32B(const float* w, int n, int k) {
  constexpr int kW = kGemmF32PanelWidth;
  const int panels = (n + kW - 1) / kW;
  AlignedFloats packed(static_cast<size_t>(panels) * k * kW, 0.f);
  for (int col = 0; col < n; ++col) {
    float* dst = packed.data() + static_cast<size_t>(col / kW) * k * kW + col % kW;
    const float* src = w + static_cast<size_t>(col) * k;
    for (int i = 0; i < k; ++i) dst[static_cast<size_t>(i) * kW] = src[i];
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
