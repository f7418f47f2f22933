// 256-entry byte table lookup for AArch64 NEON: per 16 bytes, one tbl and
// three tbx over the four 64-byte quarters of the table (an index outside a
// quarter leaves the lane as it was).
#pragma once

#include <cstdint>

namespace pyrt {

// out[i] = lut[uint8(in[i])] for i < n.
void X8LutNeon(const int8_t lut[256], int64_t n, const int8_t* in, int8_t* out);

}  // namespace pyrt
