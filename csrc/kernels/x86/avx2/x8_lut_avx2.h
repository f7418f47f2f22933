// 256-entry byte table lookup for AVX2 with vpshufb: 16 shuffles of 16-entry
// tables per 32 bytes, combined by XOR (tables transformed once by
// PackX8LutAvx2 so that the XOR of the shuffles that fire is the entry).
#pragma once

#include <cstdint>

namespace pyrt {

// packed[16 * k + r]: the XOR-transformed table k (see the .cc).
void PackX8LutAvx2(const int8_t lut[256], uint8_t packed[256]);

// out[i] = lut[uint8(in[i])] for i < n.
void X8LutAvx2(const uint8_t packed[256], int64_t n, const int8_t* in, int8_t* out);

}  // namespace pyrt
