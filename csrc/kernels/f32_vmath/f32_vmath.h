// Float32 transcendental kernels (LOGISTIC, swish, TANH, GELU in both forms, SOFTMAX)
// and HARD_SWISH: one dispatch table per path.
//
// kReference is the reference's own formula on libm (std::exp, std::erfc,
// std::tanh), the closest to LiteRT's BUILTIN_REF. The SIMD paths evaluate
// polynomial approximations (f32_vmath_poly.h) with FMA: a few ulp from the
// exact function, within the float oracle (tests/model_kinds.py) as
// XNNPACK's own approximations are. Every SIMD kernel has a scalar twin
// (f32_vmath_twin) doing the same IEEE operations in the same order, so the
// two agree bit for bit (tests/test_kernels_f32_vmath.py). NaN in, the same
// NaN out, on every path.
#pragma once

#include <cstdint>

#include "kernels/isa.h"

namespace pyrt {

using MapF32Fn = void (*)(int64_t n, const float* in, float* out);
// Each row of depth floats: exp((x - max) * beta), times 1 / their sum.
using SoftmaxF32Fn = void (*)(int64_t rows, int depth, float beta, const float* in, float* out);

struct F32VmathConfig {
  const char* name;     // "f32_vmath_avx2", ...
  MapF32Fn logistic;    // the reference's cutoffs: exp(x) below -9, 1 above 16.619047
  MapF32Fn swish;       // x * logistic(x): LOGISTIC then MUL, bit for bit (in place allowed)
  MapF32Fn tanh;
  MapF32Fn gelu;        // 0.5 x erfc(-x / sqrt(2))
  MapF32Fn gelu_tanh;   // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
  SoftmaxF32Fn softmax;  // SIMD paths: the sum in 8 lanes (f32_vmath_twin::Softmax)
  // x * min(max(x + 3, 0), 6) / 6: the reference's operations (no FMA, a
  // true division), so every path gives HardSwishF32's bits (in place allowed).
  MapF32Fn hard_swish;
};

const F32VmathConfig& F32VmathConfigFor(Isa isa);

// The polynomial forms one float at a time (std::fma where the SIMD code
// fuses): the SIMD kernels' twin, and their spec.
namespace f32_vmath_twin {
void Logistic(int64_t n, const float* in, float* out);
void Swish(int64_t n, const float* in, float* out);
void Tanh(int64_t n, const float* in, float* out);
void Gelu(int64_t n, const float* in, float* out);
void GeluTanh(int64_t n, const float* in, float* out);
void Softmax(int64_t rows, int depth, float beta, const float* in, float* out);
}  // namespace f32_vmath_twin

// AVX2 + FMA, 8 floats a vector (every x86 path from avx2 up).
namespace f32_vmath_avx2 {
void Logistic(int64_t n, const float* in, float* out);
void Swish(int64_t n, const float* in, float* out);
void Tanh(int64_t n, const float* in, float* out);
void Gelu(int64_t n, const float* in, float* out);
void GeluTanh(int64_t n, const float* in, float* out);
void Softmax(int64_t rows, int depth, float beta, const float* in, float* out);
void HardSwish(int64_t n, const float* in, float* out);
}  // namespace f32_vmath_avx2

// AVX-512, 16 floats a vector (the avx512vnni and amx paths; SOFTMAX keeps
// the AVX2 kernel, whose 8-lane sum order is the twin's).
namespace f32_vmath_avx512 {
void Logistic(int64_t n, const float* in, float* out);
void Swish(int64_t n, const float* in, float* out);
void Tanh(int64_t n, const float* in, float* out);
void Gelu(int64_t n, const float* in, float* out);
void GeluTanh(int64_t n, const float* in, float* out);
void HardSwish(int64_t n, const float* in, float* out);
}  // namespace f32_vmath_avx512

}  // namespace pyrt
