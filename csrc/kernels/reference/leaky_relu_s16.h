// LEAKY_RELU on int16 (reference QuantizeLeakyRelu<int16_t>): the int8
// arithmetic (LeakyReluParams of unary_s8.h) clamped to int16, per element:
// a 65536-entry table would cost 128 KB per node for no gain.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/reference/unary_s8.h"

namespace pyrt {

void LeakyReluS16(const LeakyReluParams& p, const int16_t* in, int16_t* out, size_t n);

}  // namespace pyrt
