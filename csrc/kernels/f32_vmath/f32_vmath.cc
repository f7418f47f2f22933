#include "kernels/f32_vmath/f32_vmath.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "kernels/f32_vmath/f32_vmath_poly.h"
#include "kernels/reference/elementwise_f32.h"
#include "kernels/reference/unary_f32.h"

namespace pyrt {
namespace f32_vmath_twin {
namespace {

namespace p = f32_vmath_poly;

template <int N>
float Horner(const float (&c)[N], float x) {
  float acc = c[0];
  for (int i = 1; i < N; ++i) acc = std::fma(acc, x, c[i]);
  return acc;
}

// x not NaN (callers return NaN inputs first: a NaN cast to int is UB).
float Exp(float x) {
  if (x < p::kExpMin) return 0.f;
  if (x > p::kExpMax) return std::numeric_limits<float>::infinity();
  const float n = std::nearbyint(x * p::kLog2e);
  const float r = std::fma(n, -p::kLn2Lo, std::fma(n, -p::kLn2Hi, x));
  const float poly = std::fma(Horner(p::kExpQ, r), r * r, r) + 1.f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) * (int32_t{1} << 23);
  float scale;
  std::memcpy(&scale, &bits, sizeof(scale));
  return poly * scale;
}

float LogisticOne(float x) {
  if (std::isnan(x)) return x;
  const bool low = x < p::kLogisticLower;
  const float e = Exp(low ? x : -x);
  if (low) return e;
  return x > p::kLogisticUpper ? 1.f : 1.f / (1.f + e);
}

float SwishOne(float x) { return x * LogisticOne(x); }

// tanh(|x|) with x's sign (so -0 stays -0).
float TanhOne(float x) {
  if (std::isnan(x)) return x;
  const float a = std::fabs(x), u = a * a;
  const float y = a < p::kTanhSmall ? std::fma(Horner(p::kTanhP, u) * u, a, a)
                                    : 1.f - 2.f / (1.f + Exp(2.f * a));
  return std::copysign(y, x);
}

float GeluOne(float x) {
  if (std::isnan(x)) return x;
  const float z = std::fabs(x) * p::kSqrtHalf;
  const float zz = z * z;
  float half_tail;  // 0.5 erf(z) (z < 1) or 0.5 erfc(z)
  if (z < 1.f) {
    half_tail = 0.5f * (Horner(p::kErfP, zz) * z);
    return x * (x >= 0.f ? 0.5f + half_tail : 0.5f - half_tail);
  }
  half_tail = 0.5f * (Exp(-zz) * Horner(p::kErfcG, 1.f / z));
  return x * (x >= 0.f ? 1.f - half_tail : half_tail);
}

float GeluTanhOne(float x) {
  if (std::isnan(x)) return x;
  const float inner = std::fma(p::kGeluCubic, x * x * x, x);
  return x / (1.f + Exp(inner * p::kMinusTwoSqrt2OverPi));
}

// A softmax exponent; NaN passes through (Exp casts to int).
float SoftmaxExp(float d) { return std::isnan(d) ? d : Exp(d); }

template <float (*F)(float)>
void Map(int64_t n, const float* in, float* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = F(in[i]);
}

}  // namespace

void Logistic(int64_t n, const float* in, float* out) { Map<LogisticOne>(n, in, out); }
void Swish(int64_t n, const float* in, float* out) { Map<SwishOne>(n, in, out); }
void Tanh(int64_t n, const float* in, float* out) { Map<TanhOne>(n, in, out); }
void Gelu(int64_t n, const float* in, float* out) { Map<GeluOne>(n, in, out); }
void GeluTanh(int64_t n, const float* in, float* out) { Map<GeluTanhOne>(n, in, out); }

// The SIMD kernels' order: the max as std::max (a NaN input is skipped, as
// in the reference), lane j of 8 sums elements j, j + 8, ... in order, then
// the lanes as ((0 + 4) + (2 + 6)) + ((1 + 5) + (3 + 7)).
void Softmax(int64_t rows, int depth, float beta, const float* in, float* out) {
  for (int64_t r = 0; r < rows; ++r, in += depth, out += depth) {
    float max = -std::numeric_limits<float>::infinity();
    for (int i = 0; i < depth; ++i) max = std::max(max, in[i]);
    float lane[8] = {};
    for (int i = 0; i < depth; ++i) {
      out[i] = SoftmaxExp((in[i] - max) * beta);
      lane[i % 8] += out[i];
    }
    const float sum =
        ((lane[0] + lane[4]) + (lane[2] + lane[6])) + ((lane[1] + lane[5]) + (lane[3] + lane[7]));
    const float inv = 1.f / sum;
    for (int i = 0; i < depth; ++i) out[i] *= inv;
  }
}

}  // namespace f32_vmath_twin

const F32VmathConfig& F32VmathConfigFor(Isa isa) {
  static const F32VmathConfig kReference{
      "f32_vmath_reference", LogisticF32,
      [](int64_t n, const float* in, float* out) {
        for (int64_t i = 0; i < n; ++i) out[i] = in[i] * LogisticF32Value(in[i]);
      },
      [](int64_t n, const float* in, float* out) { UnaryF32(UnaryF32Op::kTanh, n, in, out); },
      [](int64_t n, const float* in, float* out) { UnaryF32(UnaryF32Op::kGeluExact, n, in, out); },
      [](int64_t n, const float* in, float* out) { UnaryF32(UnaryF32Op::kGeluApprox, n, in, out); },
      SoftmaxF32, HardSwishF32};
#if defined(__x86_64__)
  namespace a = f32_vmath_avx2;
  static const F32VmathConfig kAvx2{"f32_vmath_avx2", a::Logistic, a::Swish, a::Tanh, a::Gelu,
                                    a::GeluTanh, a::Softmax, a::HardSwish};
  namespace z = f32_vmath_avx512;
  static const F32VmathConfig kAvx512{"f32_vmath_avx512", z::Logistic, z::Swish, z::Tanh,
                                      z::Gelu, z::GeluTanh, a::Softmax, z::HardSwish};
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return kAvx512;
  if (IsaAtLeast(isa, Isa::kAvx2)) return kAvx2;
#endif
  (void)isa;
  return kReference;
}

}  // namespace pyrt
