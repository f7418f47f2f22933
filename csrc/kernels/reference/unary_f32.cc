#include "kernels/reference/unary_f32.h"

#include <algorithm>
#include <cmath>

namespace pyrt {
namespace {

template <typename F>
void Map(int64_t n, const float* in, float* out, F f) {
  for (int64_t i = 0; i < n; ++i) out[i] = f(in[i]);
}

constexpr float kSqrt2OverPi = static_cast<float>(M_2_SQRTPI * M_SQRT1_2);

}  // namespace

float GeluExact(float x) { return 0.5f * x * std::erfc(x * static_cast<float>(-M_SQRT1_2)); }

float GeluApprox(float x) {
  return 0.5f * x * (1.f + std::tanh(kSqrt2OverPi * (x + 0.044715f * x * x * x)));
}

void UnaryF32(UnaryF32Op op, int64_t n, const float* in, float* out) {
  switch (op) {
    case UnaryF32Op::kRelu: return Map(n, in, out, [](float x) { return std::max(0.f, x); });
    case UnaryF32Op::kRelu6:
      return Map(n, in, out, [](float x) { return std::min(std::max(0.f, x), 6.f); });
    case UnaryF32Op::kReluN1To1:
      return Map(n, in, out, [](float x) { return std::min(std::max(-1.f, x), 1.f); });
    case UnaryF32Op::kTanh: return Map(n, in, out, [](float x) { return std::tanh(x); });
    case UnaryF32Op::kGeluExact: return Map(n, in, out, GeluExact);
    case UnaryF32Op::kGeluApprox: return Map(n, in, out, GeluApprox);
    case UnaryF32Op::kAbs: return Map(n, in, out, [](float x) { return std::fabs(x); });
    case UnaryF32Op::kNeg: return Map(n, in, out, [](float x) { return -x; });
    case UnaryF32Op::kExp: return Map(n, in, out, [](float x) { return std::exp(x); });
    case UnaryF32Op::kLog: return Map(n, in, out, [](float x) { return std::log(x); });
    case UnaryF32Op::kSqrt: return Map(n, in, out, [](float x) { return std::sqrt(x); });
    case UnaryF32Op::kRsqrt: return Map(n, in, out, [](float x) { return 1.f / std::sqrt(x); });
    case UnaryF32Op::kSquare: return Map(n, in, out, [](float x) { return x * x; });
  }
}

void LeakyReluF32(float alpha, int64_t n, const float* in, float* out) {
  Map(n, in, out, [alpha](float x) { return x > 0.f ? x : x * alpha; });
}

}  // namespace pyrt
