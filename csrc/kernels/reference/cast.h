// CAST between bool, int8, uint8, int16, uint16, int32, uint32, int64 and
// float32, as TFLite's cast.cc: static_cast, except float -> integer, which
// saturates (NaN -> the type's max) and float -> bool (x != 0).
#pragma once

#include <cstdint>

#include "core/dtype.h"

namespace pyrt {

bool CastSupported(DType t);

// Converts n elements; both types must be CastSupported.
void Cast(DType from, const void* in, DType to, void* out, int64_t n);

}  // namespace pyrt
