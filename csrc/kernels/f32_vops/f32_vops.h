// Float32 elementwise kernels (ADD / SUB / MUL with a fused clamp, PRELU,
// RELU-family clamps), MAX_POOL_2D and float RESIZE_BILINEAR: one dispatch
// table per path.
//
// Unlike the float GEMM, these round as the reference does on every path
// (one IEEE operation per output, no FMA), and each SIMD min / max takes its
// operands in the order that gives std::min / std::max's result for NaN and
// signed zeros, so every path's outputs are the portable twin's bit for bit
// (tests/test_kernels_f32_vops.py).
#pragma once

#include <cstdint>

#include "kernels/isa.h"
#include "kernels/reference/pool_q.h"
#include "kernels/reference/resize.h"

namespace pyrt {

// z[i] = std::min(std::max(x[i] op y[i], lo), hi), i < n.
using BinaryRowF32Fn = void (*)(const float* x, const float* y, float* z, int64_t n, float lo,
                                float hi);
// rows x n: out = x >= 0 ? x : x * alpha[j] (alpha: n floats).
using PreluRowsF32Fn = void (*)(const float* x, const float* alpha, float* out, int64_t rows,
                                int64_t n);
// out[i] = std::min(std::max(lo, x[i]), hi): RELU, RELU6, RELU_N1_TO_1.
using ClampF32Fn = void (*)(const float* x, float* out, int64_t n, float lo, float hi);
// Windows clipped to the image, clamp std::min(std::max(max, lo), hi);
// g.act_min / g.act_max are unused.
using MaxPoolF32Fn = void (*)(const PoolGeometry& g, const float* in, float* out, float lo,
                              float hi);

// The reference's float formula (ResizeBilinearF32), products and sums
// left to right.
using ResizeBilinearF32Fn = void (*)(const ResizeShape& s, const BilinearAxisF& y,
                                     const BilinearAxisF& x, const float* in, float* out);

struct F32VopsConfig {
  const char* name;  // "f32_vops_avx2", ...
  BinaryRowF32Fn add, sub, mul;
  PreluRowsF32Fn prelu;
  ClampF32Fn clamp;
  MaxPoolF32Fn max_pool;
  ResizeBilinearF32Fn resize_bilinear;
};

const F32VopsConfig& F32VopsConfigFor(Isa isa);

namespace f32_vops_portable {
void Add(const float*, const float*, float*, int64_t, float, float);
void Sub(const float*, const float*, float*, int64_t, float, float);
void Mul(const float*, const float*, float*, int64_t, float, float);
void Prelu(const float*, const float*, float*, int64_t, int64_t);
void Clamp(const float*, float*, int64_t, float, float);
void MaxPool(const PoolGeometry&, const float*, float*, float, float);
}  // namespace f32_vops_portable

// AVX2: 8 floats a vector (32 a step where rows allow).
namespace f32_vops_avx2 {
void Add(const float*, const float*, float*, int64_t, float, float);
void Sub(const float*, const float*, float*, int64_t, float, float);
void Mul(const float*, const float*, float*, int64_t, float, float);
void Prelu(const float*, const float*, float*, int64_t, int64_t);
void Clamp(const float*, float*, int64_t, float, float);
void MaxPool(const PoolGeometry&, const float*, float*, float, float);
void ResizeBilinear(const ResizeShape&, const BilinearAxisF&, const BilinearAxisF&, const float*,
                    float*);
}  // namespace f32_vops_avx2

}  // namespace pyrt
