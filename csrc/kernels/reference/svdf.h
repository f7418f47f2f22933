// SVDF (rank-factored fully connected over time), TFLite's reference
// EvalFloatSVDF / EvalIntegerSVDF: shift the [batch, filters, memory] state
// left by one (the whole buffer, as std::copy does), write each filter's new
// feature activation into its last memory slot, dot every filter's memory
// with its time weights, sum `rank` filters per unit, add the bias.
#pragma once

#include <cstdint>

#include "model/op_options.h"
#include "quant/multiplier.h"

namespace pyrt {

struct SvdfShape {
  int batch = 0, input = 0, filters = 0, units = 0, rank = 0, memory = 0;
};

// scratch: batch * filters floats.
void SvdfF32(const SvdfShape& s, const float* x, const float* weights_feature,
             const float* weights_time, const float* bias, Activation act, float* state,
             float* scratch, float* out);

struct SvdfS8Params {
  int32_t input_zp = 0, output_zp = 0;
  QuantizedMultiplier scale1, scale2;  // feature -> state, time sum -> output
};

// int8 input/output, int8 feature weights, int16 time weights and state,
// int32 bias; scratch: batch * (filters + units) int32.
void SvdfS8(const SvdfShape& s, const SvdfS8Params& p, const int8_t* x,
            const int8_t* weights_feature, const int16_t* weights_time, const int32_t* bias,
            int16_t* state, int32_t* scratch, int8_t* out);

}  // namespace pyrt
