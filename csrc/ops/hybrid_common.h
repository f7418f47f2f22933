// Shared Prepare helpers of the hybrid (dynamic-range) ops: float32
// activations, constant int8 weights with symmetric scales, float32 bias.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace pyrt {

// True when the node is hybrid: float32 input and int8 filter (input 1).
bool IsHybridNode(const Tensor& input, const Tensor* filter);

// Filter checks (int8, constant, zero points 0, 1 or n positive finite
// scales along `quantized_dimension`); returns the n per-channel scales.
std::vector<float> HybridFilterScales(const Tensor& filter, int n, int quantized_dimension,
                                      const std::string& label);

// True when the scales differ (LiteRT's per-channel hybrid conv path).
bool ScalesDiffer(const Tensor& filter);

// Optional bias: a constant float32 vector of n elements, or null.
const float* HybridBias(const Tensor* bias, int n, const std::string& label);

// Rounds a scratch offset up to a cache line.
inline size_t AlignScratch(size_t bytes) { return (bytes + 63) / 64 * 64; }

}  // namespace pyrt
