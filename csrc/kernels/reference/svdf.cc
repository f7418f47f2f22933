#include "kernels/reference/svdf.h"

#include <algorithm>
#include <cmath>

#include "quant/fixed_point.h"

namespace pyrt {
namespace {

float Activate(Activation a, float v) {
  switch (a) {
    case Activation::kRelu: return std::max(0.f, v);
    case Activation::kReluN1To1: return std::min(1.f, std::max(-1.f, v));
    case Activation::kRelu6: return std::min(6.f, std::max(0.f, v));
    case Activation::kTanh: return std::tanh(v);
    default: return v;
  }
}

template <typename T>
void ShiftStateLeft(const SvdfShape& s, T* state) {
  const int64_t n = int64_t{s.batch} * s.filters * s.memory;
  std::copy(state + 1, state + n, state);
}

}  // namespace

void SvdfF32(const SvdfShape& s, const float* x, const float* wf, const float* wt,
             const float* bias, Activation act, float* state, float* scratch, float* out) {
  ShiftStateLeft(s, state);
  for (int b = 0; b < s.batch; ++b)
    for (int f = 0; f < s.filters; ++f) {
      float dot = 0.f;
      const float* row = wf + static_cast<int64_t>(f) * s.input;
      const float* xb = x + static_cast<int64_t>(b) * s.input;
      for (int i = 0; i < s.input; ++i) dot += row[i] * xb[i];
      scratch[b * s.filters + f] = 0.f + dot;
    }
  for (int i = 0; i < s.batch * s.filters; ++i)
    state[static_cast<int64_t>(i) * s.memory + s.memory - 1] = scratch[i];
  for (int b = 0; b < s.batch; ++b)
    for (int f = 0; f < s.filters; ++f) {
      const float* st = state + (static_cast<int64_t>(b) * s.filters + f) * s.memory;
      const float* w = wt + static_cast<int64_t>(f) * s.memory;
      float dot = 0.f;
      for (int m = 0; m < s.memory; ++m) dot += w[m] * st[m];
      scratch[b * s.filters + f] = dot;
    }
  for (int o = 0; o < s.batch * s.units; ++o) {
    float sum = 0.f;
    for (int r = 0; r < s.rank; ++r) sum += scratch[o * s.rank + r];
    out[o] = sum;
  }
  if (bias)
    for (int b = 0; b < s.batch; ++b)
      for (int u = 0; u < s.units; ++u) out[b * s.units + u] += bias[u];
  for (int o = 0; o < s.batch * s.units; ++o) out[o] = Activate(act, out[o]);
}

void SvdfS8(const SvdfShape& s, const SvdfS8Params& p, const int8_t* x, const int8_t* wf,
            const int16_t* wt, const int32_t* bias, int16_t* state, int32_t* scratch,
            int8_t* out) {
  ShiftStateLeft(s, state);
  for (int b = 0; b < s.batch; ++b) {
    const int8_t* xb = x + static_cast<int64_t>(b) * s.input;
    for (int f = 0; f < s.filters; ++f) {
      const int8_t* row = wf + static_cast<int64_t>(f) * s.input;
      int32_t dot = 0;
      for (int i = 0; i < s.input; ++i) dot += int32_t{row[i]} * (int32_t{xb[i]} - p.input_zp);
      dot = MultiplyByQuantizedMultiplier(dot, p.scale1.multiplier, p.scale1.shift);
      dot = std::min(32767, std::max(-32768, dot));
      state[(static_cast<int64_t>(b) * s.filters + f) * s.memory + s.memory - 1] =
          static_cast<int16_t>(dot);
    }
  }
  int32_t* time = scratch;
  int32_t* sum = scratch + s.batch * s.filters;
  for (int b = 0; b < s.batch; ++b)
    for (int f = 0; f < s.filters; ++f) {
      const int16_t* st = state + (static_cast<int64_t>(b) * s.filters + f) * s.memory;
      const int16_t* w = wt + static_cast<int64_t>(f) * s.memory;
      int32_t dot = 0;
      for (int m = 0; m < s.memory; ++m) dot += int32_t{w[m]} * st[m];
      time[b * s.filters + f] = dot;
    }
  for (int o = 0; o < s.batch * s.units; ++o) {
    int32_t acc = 0;
    for (int r = 0; r < s.rank; ++r) acc += time[o * s.rank + r];
    sum[o] = acc;
  }
  if (bias)
    for (int b = 0; b < s.batch; ++b)
      for (int u = 0; u < s.units; ++u) sum[b * s.units + u] += bias[u];
  for (int o = 0; o < s.batch * s.units; ++o) {
    int32_t v = MultiplyByQuantizedMultiplier(sum[o], p.scale2.multiplier, p.scale2.shift);
    v += p.output_zp;
    out[o] = static_cast<int8_t>(std::min(127, std::max(-128, v)));
  }
}

}  // namespace pyrt
