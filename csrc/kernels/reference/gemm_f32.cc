#include "kernels/reference/gemm_f32.h"

#define PYRT_F32_NS f32_portable
#include "kernels/reference/gemm_f32_body.h"
#undef PYRT_F32_NS

// The AVX2 instantiation is built on x86-64 only (see CMakeLists.txt).
#if defined(__x86_64__)
#define PYRT_HAVE_AVX2_F32 1
#endif

namespace pyrt {

std::vector<float> PackGemmF32B(const float* w, int n, int k) {
  constexpr int kW = kGemmF32PanelWidth;
  const int panels = (n + kW - 1) / kW;
  std::vector<float> packed(static_cast<size_t>(panels) * k * kW, 0.f);
  for (int col = 0; col < n; ++col) {
    float* dst = packed.data() + static_cast<size_t>(col / kW) * k * kW + col % kW;
    const float* src = w + static_cast<size_t>(col) * k;
    for (int i = 0; i < k; ++i) dst[static_cast<size_t>(i) * kW] = src[i];
  }
  return packed;
}

std::vector<float> PadGemmF32Bias(const float* bias, int n) {
  constexpr int kW = kGemmF32PanelWidth;
  std::vector<float> padded(static_cast<size_t>((n + kW - 1) / kW) * kW, 0.f);
  if (bias) std::copy(bias, bias + n, padded.begin());
  return padded;
}

GemmF32RowsFn GemmF32ForIsa(Isa isa) {
#ifdef PYRT_HAVE_AVX2_F32
  if (IsaAtLeast(isa, Isa::kAvx2)) return f32_avx2::GemmF32Rows;
#endif
  return f32_portable::GemmF32Rows;
}

DepthwiseF32RowsFn DepthwiseF32ForIsa(Isa isa) {
#ifdef PYRT_HAVE_AVX2_F32
  if (IsaAtLeast(isa, Isa::kAvx2)) return f32_avx2::DepthwiseF32Rows;
#endif
  return f32_portable::DepthwiseF32Rows;
}

}  // namespace pyrt
