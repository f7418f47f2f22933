// What the 16x8 CONV_2D tile kernels of every x86 path share
// (kernels/x86/avx2/conv_s16_avx2.h, kernels/x86/avx512vnni/conv_s16_avx512vnni.h).
#pragma once

#include <cstdint>

namespace pyrt {

// Products of int16 activations and int8 weights are at most 2^22 in
// magnitude: an int32 lane may add 256 of them (128 pairs) exactly; tiles
// add their lanes into int64 totals at least that often.
constexpr int kConvS16PairsPerFlush = 128;

// Calls sum(t0, t1, j0, j1, step) over chunks of at most
// kConvS16PairsPerFlush steps of a tile's (tap, channel pair) loop: taps
// [t0, t1) and, of each, pairs [j0, j1); `step` is the chunk's first step
// (t0 * pairs + j0, for the panel offset). Whole taps per chunk where a
// tap's pairs fit, else one tap in pieces.
template <typename Sum>
inline void ForEachConvS16Chunk(int taps, int pairs, Sum&& sum) {
  constexpr int kFlush = kConvS16PairsPerFlush;
  if (pairs <= kFlush) {
    const int taps_per_chunk = kFlush / pairs;
    for (int t = 0; t < taps; t += taps_per_chunk)
      sum(t, t + taps_per_chunk < taps ? t + taps_per_chunk : taps, 0, pairs, t * pairs);
    return;
  }
  for (int t = 0; t < taps; ++t)
    for (int j = 0; j < pairs; j += kFlush)
      sum(t, t + 1, j, j + kFlush < pairs ? j + kFlush : pairs, t * pairs + j);
}

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
