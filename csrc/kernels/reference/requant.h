// Output stage shared by the integer conv/FC kernels: int32 accumulator to
// int8/uint8/int16 output, exactly as TFLite's reference kernels do it.
#pragma once

#include <algorithm>
#include <cstdint>

#include "quant/fixed_point.h"

namespace pyrt {

// Per-output-channel requantization. `bias` already holds the folded
// bias[c] - input_zero_point * sum(filter[c]), so accumulators are plain
// products of raw int8 values.
struct ChannelRequant {
  const int32_t* bias = nullptr;        // [channels]
  const int32_t* multiplier = nullptr;  // [channels], Q31
  const int32_t* shift = nullptr;       // [channels]
  int32_t output_zero_point = 0;
  int32_t act_min = -128;
  int32_t act_max = 127;
};

inline int32_t Requantize(int32_t acc, const ChannelRequant& rq, int c) {
  // Wrapping add: int32 accumulation in the reference wraps the same way.
  const int32_t biased =
      static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(rq.bias[c]));
  int32_t v = MultiplyByQuantizedMultiplier(biased, rq.multiplier[c], rq.shift[c]);
  v += rq.output_zero_point;
  return std::min(std::max(v, rq.act_min), rq.act_max);
}

}  // namespace pyrt
