// Float32 GEMM (C = clamp(A * B + bias), B packed at load by PackGemmF32B)
// and depthwise convolution rows: one dispatch table per path.
//
// kReference is f32_portable (kernels/reference/gemm_f32_body.h: multiply
// then add, bias after the sum). The SIMD paths use FMA and start the sums
// from the bias, as XNNPACK does; results then differ from the reference in
// the last bits, within the float oracle (tests/model_kinds.py float_oracle)
// and within the float64 bound of tests/test_kernels_f32.py. Each output is
// computed whole by one call, so results do not depend on the thread count.
#pragma once

#include <cstddef>

#include "kernels/isa.h"
#include "kernels/reference/gemm_f32.h"

namespace pyrt {

struct F32GemmConfig {
  const char* name;              // "f32_gemm_6x16_fma_avx2", ...
  GemmF32RowsFn gemm;            // rows of C over all packed panels
  DepthwiseF32RowsFn depthwise;  // output rows (batch * out_h + oy)
  // Convolutions read through per-tap input pointers (no im2col copy), or
  // null: the conv copies im2col rows for `gemm`.
  IgemmF32RowsFn igemm = nullptr;
  // gemm and igemm apply GemmF32Args' fused tail (alpha, residual, clamp);
  // other paths leave it to the caller (f32_vops after the kernel).
  bool fused_tail = false;
};

// The best float kernels a CPU running `isa` can execute.
const F32GemmConfig& F32GemmConfigFor(Isa isa);

// Kernels that round as the reference does (no FMA, same order of
// operations), bit-identical to kReference's on every path: for float ops
// whose outputs must match LiteRT's builtin kernels bit for bit.
const F32GemmConfig& F32GemmBuiltinRoundingConfigFor(Isa isa);

// AVX2 + FMA: 6 rows x 16 columns (two ymm per row), depthwise 8 channels a vector.
namespace f32_fma_avx2 {
void GemmF32Rows(const GemmF32Args&, const float*, size_t, int, float*, size_t);
void IgemmF32Rows(const GemmF32Args&, const float* const*, int, int, float*, size_t);
void DepthwiseF32Rows(const DepthwiseF32Args&, const float*, int, int, float*);
}  // namespace f32_fma_avx2

// AVX-512F: 8 rows x 32 columns (two panels, one zmm each; the indirect form
// 6 x 32), depthwise 4 pixels x 16 channels a vector.
namespace f32_avx512 {
void GemmF32Rows(const GemmF32Args&, const float*, size_t, int, float*, size_t);
void IgemmF32Rows(const GemmF32Args&, const float* const*, int, int, float*, size_t);
void DepthwiseF32Rows(const DepthwiseF32Args&, const float*, int, int, float*);
}  // namespace f32_avx512

// AArch64 NEON fmla (every Arm path): 6 rows x 16 columns (four q registers
// per row), depthwise 16 channels a step.
namespace f32_fma_neon {
void GemmF32Rows(const GemmF32Args&, const float*, size_t, int, float*, size_t);
void DepthwiseF32Rows(const DepthwiseF32Args&, const float*, int, int, float*);
}  // namespace f32_fma_neon

// The reference bodies built for AVX2 without FMA contraction.
namespace f32_builtin_avx2 {
void GemmF32Rows(const GemmF32Args&, const float*, size_t, int, float*, size_t);
void DepthwiseF32Rows(const DepthwiseF32Args&, const float*, int, int, float*);
}  // namespace f32_builtin_avx2

// AVX-512F GEMM (8 x 16) and depthwise rows (16 channels a vector) with
// the reference's roundings.
namespace f32_builtin_avx512 {
void GemmF32Rows(const GemmF32Args&, const float*, size_t, int, float*, size_t);
void DepthwiseF32Rows(const DepthwiseF32Args&, const float*, int, int, float*);
}  // namespace f32_builtin_avx512

}  // namespace pyrt
