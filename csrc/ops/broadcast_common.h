// Shape checks shared by the numpy-broadcasting binary ops (ADD/SUB/MUL,
// MAXIMUM/MINIMUM/PRELU/..., their float32 versions).
#pragma once

#include <string>

#include "core/tensor.h"

namespace pyrt {

// Broadcast shape of a and b; throws (naming `label`) when they do not
// broadcast or the result exceeds the kernels' rank limit.
Shape BroadcastOutputShape(const Tensor& a, const Tensor& b, const std::string& label);

}  // namespace pyrt
