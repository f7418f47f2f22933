// An int8 elementwise op given by a 256-entry table, made by the fusion pass
// (interpreter/fusion.h) from chains such as x * LOGISTIC(x); not a builtin.
#pragma once

#include <cstdint>
#include <memory>

#include "ops/op.h"

namespace pyrt {

// lut[uint8(v)] is the output for input v. Bind, set_isa, then Prepare.
std::unique_ptr<Op> MakeFusedLutS8(const int8_t lut[256]);

}  // namespace pyrt
