// One float32 fully connected RNN step, as TFLite's kernel_utils::RnnBatchStep:
// out = act(bias + W x + R h) (each dot product summed, then added, input part
// first), h = out.
#pragma once

#include "model/op_options.h"

namespace pyrt {

void RnnStepF32(const float* x, const float* weights, const float* recurrent, const float* bias,
                int n_input, int n_units, int n_batch, Activation act, float* h, float* out);

}  // namespace pyrt
