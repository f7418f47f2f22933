#include "kernels/reference/cast.h"

#include <cmath>
#include <limits>
#include <type_traits>

namespace pyrt {
namespace {

// TFLite SaturatingCastFloatingToInteger: NaN -> max, out of range -> the
// nearest limit (the float image of max is stepped down when it rounds up).
template <typename To>
To SaturatingFloatToInt(float v) {
  if (std::isnan(v)) return std::numeric_limits<To>::max();
  const float lo = static_cast<float>(std::numeric_limits<To>::lowest());
  float hi = static_cast<float>(std::numeric_limits<To>::max());
  if (static_cast<long double>(hi) > static_cast<long double>(std::numeric_limits<To>::max())) {
    hi = std::nextafter(hi, 0.f);
  }
  if (v < lo) return std::numeric_limits<To>::lowest();
  if (v > hi) return std::numeric_limits<To>::max();
  return static_cast<To>(v);
}

template <typename To, typename From>
To CastValue(From v) {
  if constexpr (std::is_same_v<From, float> && std::is_integral_v<To> && !std::is_same_v<To, bool>) {
    return SaturatingFloatToInt<To>(v);
  } else {
    return static_cast<To>(v);
  }
}

template <typename From, typename To>
void CastLoop(const void* in, void* out, int64_t n) {
  const From* src = static_cast<const From*>(in);
  To* dst = static_cast<To*>(out);
  for (int64_t i = 0; i < n; ++i) dst[i] = CastValue<To>(src[i]);
}

// Bool tensors are read as bytes (any non-zero byte is true), never as a
// C++ bool holding another value.
template <typename From>
void CastFrom(const void* in, DType to, void* out, int64_t n) {
  switch (to) {
    case DType::kBool: {
      const From* src = static_cast<const From*>(in);
      uint8_t* dst = static_cast<uint8_t*>(out);
      for (int64_t i = 0; i < n; ++i) dst[i] = src[i] != From(0) ? 1 : 0;
      return;
    }
    case DType::kInt8: return CastLoop<From, int8_t>(in, out, n);
    case DType::kUInt8: return CastLoop<From, uint8_t>(in, out, n);
    case DType::kInt16: return CastLoop<From, int16_t>(in, out, n);
    case DType::kUInt16: return CastLoop<From, uint16_t>(in, out, n);
    case DType::kInt32: return CastLoop<From, int32_t>(in, out, n);
    case DType::kUInt32: return CastLoop<From, uint32_t>(in, out, n);
    case DType::kInt64: return CastLoop<From, int64_t>(in, out, n);
    default: return CastLoop<From, float>(in, out, n);
  }
}

}  // namespace

bool CastSupported(DType t) {
  switch (t) {
    case DType::kBool: case DType::kInt8: case DType::kUInt8: case DType::kInt16:
    case DType::kUInt16: case DType::kInt32: case DType::kUInt32: case DType::kInt64:
    case DType::kFloat32:
      return true;
    default:
      return false;
  }
}

void Cast(DType from, const void* in, DType to, void* out, int64_t n) {
  switch (from) {
    case DType::kBool: return CastFrom<uint8_t>(in, to, out, n);
    case DType::kInt8: return CastFrom<int8_t>(in, to, out, n);
    case DType::kUInt8: return CastFrom<uint8_t>(in, to, out, n);
    case DType::kInt16: return CastFrom<int16_t>(in, to, out, n);
    case DType::kUInt16: return CastFrom<uint16_t>(in, to, out, n);
    case DType::kInt32: return CastFrom<int32_t>(in, to, out, n);
    case DType::kUInt32: return CastFrom<uint32_t>(in, to, out, n);
    case DType::kInt64: return CastFrom<int64_t>(in, to, out, n);
    default: return CastFrom<float>(in, to, out, n);
  }
}

}  // namespace pyrt
