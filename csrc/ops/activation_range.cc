#include "ops/activation_range.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace pyrt {

ActivationRange QuantizedActivationRange(Activation act, const Tensor& output,
                                         const std::string& what) {
  const ActivationRange r = DTypeRange(output.dtype);
  const float scale = output.scale();
  const int32_t zp = output.zero_point();
  PYRT_ENSURE(scale > 0.f, what, ": output tensor '", output.name, "' needs a scale > 0");
  auto quantize = [&](float f) {
    return zp + static_cast<int32_t>(std::round(f / scale));
  };
  switch (act) {
    case Activation::kNone: return r;
    case Activation::kRelu: return {std::max(r.min, quantize(0.f)), r.max};
    case Activation::kRelu6:
      return {std::max(r.min, quantize(0.f)), std::min(r.max, quantize(6.f))};
    case Activation::kReluN1To1:
      return {std::max(r.min, quantize(-1.f)), std::min(r.max, quantize(1.f))};
    default:
      ThrowModelError(what, ": fused activation ", static_cast<int>(act),
                      " is not supported on quantized outputs");
  }
}

void FloatActivationRange(Activation act, float* min, float* max, const std::string& what) {
  const float inf = std::numeric_limits<float>::infinity();
  switch (act) {
    case Activation::kNone: *min = -inf; *max = inf; return;
    case Activation::kRelu: *min = 0.f; *max = inf; return;
    case Activation::kRelu6: *min = 0.f; *max = 6.f; return;
    case Activation::kReluN1To1: *min = -1.f; *max = 1.f; return;
    default:
      ThrowModelError(what, ": fused activation ", static_cast<int>(act), " is not supported");
  }
}

}  // namespace pyrt
