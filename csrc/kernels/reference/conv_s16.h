// 16x8 conv-like kernels: int16 activations (zero point 0), int8 weights,
// int64 sums, as TFLite's reference integer_ops int16 overloads
// (docs/reference_semantics.md, int16 section).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/conv_geometry.h"
#include "quant/fixed_point.h"
#include "quant/float_cast.h"

namespace pyrt {

struct ConvS16Params {
  ConvGeometry g;
  const int8_t* filter = nullptr;  // CONV_2D [oc, fh, fw, ic]; DEPTHWISE [1, fh, fw, oc]
  const int64_t* bias = nullptr;   // out_c values (int32 biases widened) or nullptr
  const int32_t* multiplier = nullptr;  // per output channel, Q31
  const int32_t* shift = nullptr;       // per output channel, in [-31, 14]
  int32_t act_min = -32768, act_max = 32767;
};

// Output channel c of the int64 sum `acc`: plus bias,
// MultiplyByQuantizedMultiplier64, clamp.
inline int16_t RequantizeS16(const ConvS16Params& p, int c, int64_t acc) {
  if (p.bias) acc += p.bias[c];
  const int32_t v = MultiplyByQuantizedMultiplier64(acc, p.multiplier[c], p.shift[c]);
  return static_cast<int16_t>(std::min(std::max(v, p.act_min), p.act_max));
}

// CONV_2D (no groups): int64 sum, MultiplyByQuantizedMultiplier64, clamp.
void ConvS16(const ConvS16Params& p, const int16_t* in, int16_t* out);

// DEPTHWISE_CONV_2D with out_c = in_c * depth_multiplier; same requantization.
void DepthwiseConvS16(const ConvS16Params& p, int depth_multiplier, const int16_t* in,
                      int16_t* out);

// FULLY_CONNECTED: out[b, u] = clamp(round(double(acc) * scale[u])) with acc
// the dot product plus bias accumulated in int32 (wrapping) when the model's
// bias is int32 and in int64 otherwise, as the reference's BiasType.
struct FullyConnectedS16Params {
  int units = 0, depth = 0;
  const int8_t* filter = nullptr;  // [units, depth]
  const int64_t* bias = nullptr;   // units values or nullptr
  bool int32_accumulator = false;
  const double* scale = nullptr;   // per unit: double(s_in) * double(s_w) / double(s_out)
  int32_t act_min = -32768, act_max = 32767;
};
void FullyConnectedS16(const FullyConnectedS16Params& p, int batches, const int16_t* in,
                       int16_t* out);

// Unit u's output from its int64 dot product: plus bias (wrapping in int32
// for an int32 bias, as the reference's BiasType), the double scale, clamp.
inline int16_t RequantizeFullyConnectedS16(const FullyConnectedS16Params& p, int u, int64_t acc) {
  if (p.bias) acc += p.bias[u];
  if (p.int32_accumulator) acc = static_cast<int32_t>(static_cast<uint32_t>(acc));
  const int32_t v = DoubleToInt32LikeX86(std::round(static_cast<double>(acc) * p.scale[u]));
  return static_cast<int16_t>(std::min(std::max(v, p.act_min), p.act_max));
}

}  // namespace pyrt
