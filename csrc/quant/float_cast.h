// Float -> int32 conversions as TFLite's x86-64 build executes them.
//
// static_cast<int32_t>(float or double) is undefined in C++ when the value
// does not fit (NaN, +-inf, |v| >= 2^31); x86-64's cvtt* instructions then
// return INT32_MIN, the "integer indefinite" value. The reference kernels hit
// this for huge or NaN inputs, so we reproduce it with defined C++.
#pragma once

#include <cstdint>
#include <limits>

namespace pyrt {

// Truncates toward zero; out-of-range and NaN give INT32_MIN.
inline int32_t DoubleToInt32LikeX86(double v) {
  if (!(v > -2147483649.0 && v < 2147483648.0)) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(v);
}

inline int32_t FloatToInt32LikeX86(float v) {
  if (!(v >= -2147483648.0f && v < 2147483648.0f)) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(v);
}

}  // namespace pyrt
