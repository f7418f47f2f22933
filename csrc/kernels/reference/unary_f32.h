// Float32 elementwise unary kernels as TFLite's builtin float kernels
// compute them (activations.cc, elementwise.cc, exp.cc, neg.cc, square).
#pragma once

#include <cstdint>

namespace pyrt {

enum class UnaryF32Op {
  kRelu, kRelu6, kReluN1To1, kTanh, kGeluExact, kGeluApprox,
  kAbs, kNeg, kExp, kLog, kSqrt, kRsqrt, kSquare,
};

void UnaryF32(UnaryF32Op op, int64_t n, const float* in, float* out);

// x > 0 ? x : alpha * x.
void LeakyReluF32(float alpha, int64_t n, const float* in, float* out);

// reference_ops::GeluTransform (erfc form) and GeluTransformApproximate
// (tanh form), float math in the reference's operation order; also the
// int8 GELU tables are built from these.
float GeluExact(float x);
float GeluApprox(float x);

}  // namespace pyrt
