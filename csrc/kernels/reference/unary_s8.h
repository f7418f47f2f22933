// Per-value int8 kernels of TFLite's quantized unary ops (RELU family,
// LEAKY_RELU, ABS) and a table builder for float-math LUT ops whose
// function needs a parameter (LOG). Ops run these once per int8 value at
// Prepare and look the results up at Eval (ops/table_op.h).
#pragma once

#include <cstdint>

namespace pyrt {

// RELU / RELU6 / RELU_N1_TO_1 (TFLite QuantizedReluX + ReluX):
// clamp(out_zp + MBQM(v - in_zp, m, shift), act_min, act_max).
struct ReluXParams {
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t multiplier = 0;
  int shift = 0;
  int32_t act_min = -128, act_max = 127;
};
int8_t ReluXS8(const ReluXParams& p, int8_t v);

// LEAKY_RELU (reference QuantizeLeakyRelu): the identity multiplier for
// v - in_zp >= 0, the alpha one otherwise; clamped to int8.
struct LeakyReluParams {
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t identity_multiplier = 0, alpha_multiplier = 0;
  int identity_shift = 0, alpha_shift = 0;
};
int8_t LeakyReluS8(const LeakyReluParams& p, int8_t v);

// ABS (elementwise.cc AbsEvalQuantized): |v - in_zp|, rescaled only when
// the scales differ.
struct AbsParams {
  int32_t input_zero_point = 0, output_zero_point = 0;
  bool rescale = false;
  int32_t multiplier = 0;
  int shift = 0;
};
int8_t AbsS8(const AbsParams& p, int8_t v);

// SQRT (elementwise.cc SqrtEvalQuantized): sqrt of the dequantized value in
// float, divided by the output scale and TRUNCATED (no rounding), plus the
// zero point. The reference fails the invoke for negative values; here they
// give NaN -> INT32_MIN -> the lowest output.
struct SqrtParams {
  float input_scale = 1.f, output_scale = 1.f;
  int32_t input_zero_point = 0, output_zero_point = 0;
};
int8_t SqrtS8(const SqrtParams& p, int8_t v);

// RSQRT (elementwise.cc RsqrtEvalQuantizedInt8): fixed-point 1/sqrt(v - zp)
// by Newton-Raphson, then rescaled by 1 / (sqrt(s_in) * s_out). v == zp
// gives 127; the reference fails the invoke for v < zp, here those give 127.
struct RsqrtParams {
  int32_t input_zero_point = 0, output_zero_point = 0;
  int32_t multiplier = 0;
  int shift = 0;
};
int8_t RsqrtS8(const RsqrtParams& p, int8_t v);

// lut[uint8(v)] = kernel(v) for every int8 v.
template <typename Kernel>
void TabulateS8(Kernel&& kernel, int8_t lut[256]) {
  for (int v = -128; v <= 127; ++v) lut[static_cast<uint8_t>(v)] = kernel(static_cast<int8_t>(v));
}

// BuildLutS8 (kernels/reference/activations_s8.h) for a function with a
// parameter, as TFLite's LUTPopulate overload taking `const void*` params.
void BuildLutS8WithParam(float input_scale, int32_t input_zero_point, float output_scale,
                         int32_t output_zero_point, float (*f)(float, const void*),
                         const void* param, int8_t lut[256]);

}  // namespace pyrt
