// A depthwise conv with depth multiplier M reads input channel o / M for
// output channel o; kernels written for multiplier 1 get the same sums from
// the input with each channel repeated M times.
#pragma once

#include <cstddef>

namespace pyrt {

// Pixels [p0, p1) of an image with `channels` values per pixel into `out`,
// each value M times (channels * M per pixel).
template <typename T>
void RepeatChannels(const T* in, int channels, int M, size_t p0, size_t p1, T* out) {
  for (size_t p = p0; p < p1; ++p) {
    const T* from = in + p * channels;
    T* to = out + p * channels * M;
    for (int c = 0; c < channels; ++c)
      for (int m = 0; m < M; ++m) *to++ = from[c];
  }
}

}  // namespace pyrt
