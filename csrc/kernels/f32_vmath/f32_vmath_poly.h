// Constants of the float32 polynomial approximations shared by the SIMD
// kernels and their scalar twin (f32_vmath.h). The coefficients are
// weighted least-squares (Lawson minimax) fits in float64, rounded to
// float32; tools/fit_f32_vmath.py recomputes them and their errors.
#pragma once

namespace pyrt {
namespace f32_vmath_poly {

// exp(x) = 2^n * p(r), n = round(x log2 e), r = x - n ln 2 (ln 2 in two
// parts: n * kLn2Hi is exact for |n| < 2^9), p(r) = 1 + r + r^2 q(r) on
// |r| <= ln(2) / 2; max relative error 7.5e-8 over that range. Below
// kExpMin the result is 0, above kExpMax infinity (exp is < 1.2e-38 or
// > 2.2e38 there), so that 2^n stays a normal float.
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Hi = 0.693145751953125f;
constexpr float kLn2Lo = 1.42860676533018704e-06f;
constexpr float kExpMin = -87.33f;
constexpr float kExpMax = 88.3f;
constexpr int kExpQTerms = 5;
constexpr float kExpQ[kExpQTerms] = {0.001390128f, 0.008363141f, 0.041666854f, 0.16666578f, 0.5f};

// LOGISTIC's cutoffs in the reference (activations.cc, float Logistic).
constexpr float kLogisticUpper = 16.619047164916992188f;
constexpr float kLogisticLower = -9.f;

// erf(z) = z P(z^2) for 0 <= z < 1: max absolute error 1.3e-7 (float32 rounding included).
constexpr int kErfTerms = 7;
constexpr float kErfP[kErfTerms] = {7.8540266e-05f, -0.0008010248f, 0.0051883347f, -0.026853817f,
                                    0.112835854f, -0.37612626f,   1.1283791f};
// erfc(z) = exp(-z^2) G(1 / z) for z >= 1: G's max relative error 2.8e-7
// on [1, 4.5]; beyond, erfc < 3e-10 and only its magnitude matters.
constexpr int kErfcTerms = 9;
constexpr float kErfcG[kErfcTerms] = {-0.01755359f, 0.06881128f, -0.061474644f,
                                      -0.14169058f, 0.4254956f,  -0.44004074f,
                                      0.03354946f,  0.56029487f, 0.00019188093f};
constexpr float kSqrtHalf = 0.707106781186547524f;

// tanh(x) = x + x^3 P(x^2) for |x| < kTanhSmall: max error 0.7 ulp (float32
// rounding included); from there on 1 - 2 / (1 + exp(2|x|)) with x's sign
// (no cancellation: the result is above 0.55), infinity giving 1.
constexpr float kTanhSmall = 0.625f;
constexpr int kTanhTerms = 6;
constexpr float kTanhP[kTanhTerms] = {0.00229999726f, -0.00835113786f, 0.0217714347f,
                                      -0.053959623f,  0.133333057f,    -0.333333343f};

// GELU's tanh form as x * logistic(2u): 1 + tanh(u) = 2 / (1 + exp(-2u)).
constexpr float kGeluCubic = 0.044715f;
constexpr float kMinusTwoSqrt2OverPi = -1.59576912160573071f;

}  // namespace f32_vmath_poly
}  // namespace pyrt
