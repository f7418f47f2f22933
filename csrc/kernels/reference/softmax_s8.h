// int8 SOFTMAX over the innermost dimension, bit-exact with TFLite's
// reference quantized Softmax (gemmlowp fixed point; output scale 1/256,
// zero point -128).
#pragma once

#include <cstdint>

namespace pyrt {

struct SoftmaxS8Params {
  int32_t input_multiplier = 0;  // beta * input_scale * 2^26 as Q31 multiplier...
  int input_left_shift = 0;      // ...and left shift (>= 0)
  int32_t diff_min = 0;          // x - max(row) below this contributes exactly 0
};

// exp(beta * input_scale * diff) in Q0 as the reference computes it, for
// diff = x - max(row) >= diff_min (diff <= 0).
int32_t SoftmaxS8ScaledExp(const SoftmaxS8Params& p, int32_t diff);

// 1 / sum_of_exps (the Q12 sum) as the reference's fixed-point reciprocal:
// out = clamp(RoundingDivideByPOT(SRDHM(scale, exp), exponent) - 128).
void SoftmaxS8Reciprocal(int32_t sum_of_exps, int32_t* scale, int* exponent);

// rows x depth values, row-major.
void SoftmaxS8(const SoftmaxS8Params& p, int64_t rows, int depth, const int8_t* input,
               int8_t* output);
// int8 in, int16 out (Softmax<int8_t, int16_t>): the same arithmetic with a
// final shift 8 bits shorter and offset -32768, whatever the output's scale.
void SoftmaxS8ToS16(const SoftmaxS8Params& p, int64_t rows, int depth, const int8_t* input,
                    int16_t* output);

}  // namespace pyrt
