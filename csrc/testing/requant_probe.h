// Test entries: the x86 requantization forms on raw int32 sums, so their
// results can be compared with the reference before any narrowing to int8
// (x86-64 only; call each only when the CPU has its path).
#pragma once

#include <cstdint>

namespace pyrt {

// out[i] = MultiplyByQuantizedMultiplier(x[i], multiplier[i % 16],
// shift[i % 16]) + zero_point (int32, wrapping) for n (a multiple of 16)
// values, by the path's general form or (merged) its single-shift form;
// false when merged does not apply to these channels (AVX2: always, it has
// no merged form).
bool RequantAvx512Probe(bool merged, const int32_t* x, int n, const int32_t* multiplier,
                        const int32_t* shift, int32_t zero_point, int32_t* out);
bool RequantAvx2Probe(bool merged, const int32_t* x, int n, const int32_t* multiplier,
                      const int32_t* shift, int32_t zero_point, int32_t* out);

}  // namespace pyrt
