// Test entry: AVX-512 requantization of raw int32 sums (x86-64 only; call
// only when the CPU has AVX-512 VNNI).
#pragma once

#include <cstdint>

namespace pyrt {

// out[i] = MultiplyByQuantizedMultiplier(x[i], multiplier[i % 16],
// shift[i % 16]) + zero_point (int32, wrapping) for n (a multiple of 16)
// values, by the general form or (merged) GemmlowpRequant16Merged; false
// when merged does not apply to these channels.
bool RequantAvx512Probe(bool merged, const int32_t* x, int n, const int32_t* multiplier,
                        const int32_t* shift, int32_t zero_point, int32_t* out);

}  // namespace pyrt
