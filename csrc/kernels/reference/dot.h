// Dot products of the portable kernels, written so compilers vectorize them
// (int16 pairs map to PMADDWD; floats use 8 independent partial sums).
#pragma once

#include <cstdint>

namespace pyrt {

// sum a[k] * b[k] modulo 2^32, for values in [-255, 255] (int8 minus a
// zero point): TFLite's int32 accumulation, which wraps. Chunks of 2^15
// products cannot overflow int32 (2^15 * 255^2 < 2^31), so the inner loop
// stays plain int32 arithmetic.
inline int32_t DotS16Wrapping(const int16_t* a, const int16_t* b, int64_t n) {
  constexpr int64_t kChunk = int64_t{1} << 15;
  uint32_t total = 0;
  for (int64_t k0 = 0; k0 < n; k0 += kChunk) {
    const int64_t k1 = n - k0 < kChunk ? n : k0 + kChunk;
    int32_t s = 0;
    for (int64_t k = k0; k < k1; ++k) s += int32_t{a[k]} * int32_t{b[k]};
    total += static_cast<uint32_t>(s);
  }
  return static_cast<int32_t>(total);
}

inline float DotF32(const float* a, const float* b, int64_t n) {
  float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t k = 0;
  for (; k + 8 <= n; k += 8)
    for (int j = 0; j < 8; ++j) part[j] += a[k + j] * b[k + j];
  float s = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
  for (; k < n; ++k) s += a[k] * b[k];
  return s;
}

}  // namespace pyrt
