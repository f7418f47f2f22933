// What the 16x8 CONV_2D tile kernels of every x86 path share
// (kernels/x86/avx2/conv_s16_avx2.h, kernels/x86/avx512vnni/conv_s16_avx512vnni.h).
#pragma once

#include <cstdint>

namespace pyrt {

// Products of int16 activations and int8 weights are at most 2^22 in
// magnitude: an int32 lane may add 256 of them (128 pairs) exactly; tiles
// add their lanes into int64 totals at least that often.
constexpr int kConvS16PairsPerFlush = 128;

// A panel's requantization constants, one per channel of the panel (padding
// channels anything): bias and MultiplyByQuantizedMultiplier64's reduced
// multiplier, rounding 2^(total_shift - 1) and total_shift, all as int64.
struct ConvS16TileRequant {
  const int64_t* bias;
  const int64_t* reduced;
  const int64_t* round;
  const int64_t* total_shift;
  int32_t act_min, act_max;
};

}  // namespace pyrt
