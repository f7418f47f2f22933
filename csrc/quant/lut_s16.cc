#include "quant/lut_s16.h"

#include <algorithm>
#include <cmath>

namespace pyrt {

void PopulateLutS16(double input_scale, int32_t input_zero_point, double output_scale,
                    int32_t output_zero_point, double (*f)(double), int16_t* lut) {
  const double input_min = input_scale * (-32768 - input_zero_point);
  const double input_max = input_scale * (32767 - input_zero_point);
  const double output_min = output_scale * (-32768 - output_zero_point);
  const double output_max = output_scale * (32767 - output_zero_point);
  const int steps = kLutS16Size - 1;
  const double step = (input_max - input_min) / steps;
  const double half_step = step / 2;
  const double inv = 65536.0 / (output_max - output_min);
  auto clamp = [](double v) { return static_cast<int16_t>(std::min(std::max(v, -32768.0), 32767.0)); };
  for (int i = 0; i < steps; ++i) {
    const double val = f(input_min + i * step);
    const double mid = f(input_min + i * step + half_step);
    const double next = f(input_min + (i + 1) * step);
    const double sample = std::round(val * inv);
    const double mid_interp = std::round((next * inv + std::round(val * inv)) / 2);
    const double mid_err = mid_interp - std::round(mid * inv);
    lut[i] = clamp(sample - std::round(mid_err / 2));
  }
  lut[steps] = clamp(std::round(f(input_max) * inv));
}

}  // namespace pyrt
