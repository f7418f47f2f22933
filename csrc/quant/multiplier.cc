#include "quant/multiplier.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace pyrt {

bool TryQuantizeMultiplier(double real, QuantizedMultiplier* q) {
  if (!std::isfinite(real) || real < 0.0) return false;
  *q = QuantizedMultiplier{};
  if (real == 0.0) return true;
  int shift = 0;
  const double fraction = std::frexp(real, &shift);  // real = fraction * 2^shift, [0.5, 1)
  int64_t fixed = static_cast<int64_t>(std::round(fraction * static_cast<double>(int64_t{1} << 31)));
  if (fixed == (int64_t{1} << 31)) {  // rounding reached 1.0
    fixed /= 2;
    ++shift;
  }
  if (shift < -31) {  // too small to matter: flush to zero as TFLite does
    shift = 0;
    fixed = 0;
  }
  if (shift > 31) return false;
  q->multiplier = static_cast<int32_t>(fixed);
  q->shift = shift;
  return true;
}

QuantizedMultiplier QuantizeMultiplier(double real, const std::string& what) {
  PYRT_ENSURE(std::isfinite(real) && real >= 0.0, what, ": effective scale ", real,
              " is not a finite non-negative number");
  QuantizedMultiplier q;
  PYRT_ENSURE(TryQuantizeMultiplier(real, &q), what, ": effective scale ", real,
              " is too large (>= 2^31)");
  return q;
}

QuantizedMultiplier QuantizeMultiplierSmallerThanOneExp(double real, const std::string& what) {
  PYRT_ENSURE(real > 0.0 && real < 1.0, what, ": effective scale ", real,
              " must be in (0, 1)");
  QuantizedMultiplier q = QuantizeMultiplier(real, what);
  PYRT_ENSURE(q.shift <= 0, what, ": effective scale ", real, " rounds to >= 1");
  return q;
}

QuantizedMultiplier QuantizeMultiplierGreaterThanOne(double real, const std::string& what) {
  PYRT_ENSURE(real > 1.0, what, ": effective scale ", real, " must be > 1");
  QuantizedMultiplier q = QuantizeMultiplier(real, what);
  PYRT_ENSURE(q.shift >= 0, what, ": effective scale ", real, " rounds to < 1");
  return q;
}

std::vector<QuantizedMultiplier> PerChannelMultipliers(float input_scale,
                                                       const std::vector<float>& filter_scales,
                                                       float output_scale, int num_channels,
                                                       const std::string& what) {
  PYRT_ENSURE(filter_scales.size() == 1 ||
                  filter_scales.size() == static_cast<size_t>(num_channels),
              what, ": ", filter_scales.size(), " filter scales for ", num_channels,
              " output channels");
  PYRT_ENSURE(output_scale > 0.f, what, ": output scale must be > 0");
  std::vector<QuantizedMultiplier> out(num_channels);
  for (int c = 0; c < num_channels; ++c) {
    const double filter_scale = filter_scales[filter_scales.size() == 1 ? 0 : c];
    const double effective =
        static_cast<double>(input_scale) * filter_scale / static_cast<double>(output_scale);
    // The channel is named only on failure: building that string for every
    // channel was a measurable part of loading a model.
    if (!TryQuantizeMultiplier(effective, &out[c]))
      QuantizeMultiplier(effective, StrCat(what, " channel ", c));  // throws
  }
  return out;
}

ActivationRange DTypeRange(DType t) {
  switch (t) {
    case DType::kInt8: return {-128, 127};
    case DType::kUInt8: return {0, 255};
    case DType::kInt16: return {-32768, 32767};
    default: return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
  }
}

bool CheckedLog2(float x, int* log2) {
  const float l = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(l);
  *log2 = static_cast<int>(rounded);
  return std::fabs(l - rounded) < 1e-3f;
}

}  // namespace pyrt
