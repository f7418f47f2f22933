#include "kernels/reference/rnn_f32.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace pyrt {
namespace {

void MatVecAccumulate(const float* m, int rows, int cols, const float* v, int n_batch, float* out) {
  for (int b = 0; b < n_batch; ++b)
    for (int r = 0; r < rows; ++r) {
      float dot = 0.f;
      const float* mr = m + static_cast<int64_t>(r) * cols;
      const float* vb = v + static_cast<int64_t>(b) * cols;
      for (int c = 0; c < cols; ++c) dot += mr[c] * vb[c];
      out[static_cast<int64_t>(b) * rows + r] += dot;
    }
}

float Activate(Activation a, float v) {
  switch (a) {
    case Activation::kRelu: return std::max(0.f, v);
    case Activation::kReluN1To1: return std::min(1.f, std::max(-1.f, v));
    case Activation::kRelu6: return std::min(6.f, std::max(0.f, v));
    case Activation::kTanh: return std::tanh(v);
    default: return v;
  }
}

}  // namespace

void RnnStepF32(const float* x, const float* weights, const float* recurrent, const float* bias,
                int n_input, int n_units, int n_batch, Activation act, float* h, float* out) {
  for (int b = 0; b < n_batch; ++b)
    for (int u = 0; u < n_units; ++u) out[static_cast<int64_t>(b) * n_units + u] = bias[u];
  MatVecAccumulate(weights, n_units, n_input, x, n_batch, out);
  MatVecAccumulate(recurrent, n_units, n_units, h, n_batch, out);
  const int64_t n = static_cast<int64_t>(n_batch) * n_units;
  for (int64_t i = 0; i < n; ++i) out[i] = Activate(act, out[i]);
  std::copy_n(out, n, h);
}

}  // namespace pyrt
