// Clamp ranges of fused activations (TFLite's conventions), for Prepare.
#pragma once

#include <string>

#include "core/tensor.h"
#include "model/op_options.h"
#include "quant/multiplier.h"

namespace pyrt {

// Clamp range of a quantized output: the dtype's range narrowed by the fused
// activation, with bounds quantized as zp + round(bound / scale) in float.
ActivationRange QuantizedActivationRange(Activation act, const Tensor& output,
                                         const std::string& what);

// Clamp range of a float output.
void FloatActivationRange(Activation act, float* min, float* max, const std::string& what);

}  // namespace pyrt
