// Output stage shared by the integer conv/FC kernels: int32 accumulator to
// int8/uint8/int16 output, exactly as TFLite's reference kernels do it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "quant/fixed_point.h"
#include "quant/float_cast.h"

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

// Owns the per-channel arrays a ChannelRequant points to.
class OwnedChannelRequant {
 public:
  void Set(std::vector<int32_t> bias, std::vector<int32_t> multiplier, std::vector<int32_t> shift,
           int32_t output_zero_point, int32_t act_min, int32_t act_max) {
    bias_ = std::move(bias);
    multiplier_ = std::move(multiplier);
    shift_ = std::move(shift);
    rq_ = ChannelRequant{bias_.data(), multiplier_.data(), shift_.data(), output_zero_point, act_min,
                         act_max};
  }
  const ChannelRequant& get() const { return rq_; }

 private:
  std::vector<int32_t> bias_, multiplier_, shift_;
  ChannelRequant rq_;
};

inline int32_t Requantize(int32_t acc, const ChannelRequant& rq, int c) {
  // Wrapping add: int32 accumulation in the reference wraps the same way.
  const int32_t biased =
      static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(rq.bias[c]));
  int32_t v = MultiplyByQuantizedMultiplier(biased, rq.multiplier[c], rq.shift[c]);
  // Wraps too (a saturated INT32_MAX plus a positive zero point), as the
  // SIMD paths' adds do.
  v = static_cast<int32_t>(static_cast<uint32_t>(v) + static_cast<uint32_t>(rq.output_zero_point));
  return std::min(std::max(v, rq.act_min), rq.act_max);
}

// FULLY_CONNECTED's requantization in the pinned reference: in double,
// round(acc * scale) with halves away from zero (TensorFlow issue 119412),
// not the fixed-point multiplier. Adds wrap like the reference's int32 math.
inline int32_t RequantizeFp64(int32_t acc, int32_t bias, double scale, int32_t output_zero_point,
                              int32_t act_min, int32_t act_max) {
  const int32_t biased =
      static_cast<int32_t>(static_cast<uint32_t>(acc) + static_cast<uint32_t>(bias));
  int32_t v = DoubleToInt32LikeX86(std::round(static_cast<double>(biased) * scale));
  v = static_cast<int32_t>(static_cast<uint32_t>(v) + static_cast<uint32_t>(output_zero_point));
  return std::min(std::max(v, act_min), act_max);
}

}  // namespace pyrt
