#include "kernels/reference/lstm_f32.h"

#include <algorithm>
#include <cmath>

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

float Sigmoid(float v) { return 1.f / (1.f + std::exp(-v)); }

// result[b, r] += sum_c m[r, c] * v[b, c], each dot product summed first.
void MatVecAccumulate(const float* m, int rows, int cols, const float* v, int n_batch,
                      float* result) {
  for (int b = 0; b < n_batch; ++b) {
    const float* vb = v + static_cast<int64_t>(b) * cols;
    for (int r = 0; r < rows; ++r) {
      const float* mr = m + static_cast<int64_t>(r) * cols;
      float dot = 0.f;
      for (int c = 0; c < cols; ++c) dot += mr[c] * vb[c];
      result[static_cast<int64_t>(b) * rows + r] += dot;
    }
  }
}

void Gate(const LstmF32Params& p, int g, const float* x, const float* h, const float* c,
          bool sigmoid, float* gate) {
  const int nb = p.n_batch, nc = p.n_cell;
  for (int b = 0; b < nb; ++b)
    for (int i = 0; i < nc; ++i) gate[b * nc + i] = p.bias[g] ? p.bias[g][i] : 0.f;
  MatVecAccumulate(p.input_weights[g], nc, p.n_input, x, nb, gate);
  MatVecAccumulate(p.recurrent_weights[g], nc, p.n_output, h, nb, gate);
  if (p.peephole[g])
    for (int b = 0; b < nb; ++b)
      for (int i = 0; i < nc; ++i) gate[b * nc + i] += p.peephole[g][i] * c[b * nc + i];
  for (int i = 0; i < nb * nc; ++i)
    gate[i] = sigmoid ? Sigmoid(gate[i]) : Activate(p.activation, gate[i]);
}

}  // namespace

void LstmStepF32(const LstmF32Params& p, const float* x, float* h, float* c, float* out,
                 int64_t out_stride, float* scratch) {
  const int n = p.n_batch * p.n_cell;
  float* ig = scratch;
  float* fg = scratch + n;
  float* cg = scratch + 2 * n;
  float* og = scratch + 3 * n;
  float* hidden = scratch + 4 * n;
  const bool cifg = p.input_weights[kLstmInputGate] == nullptr;
  if (!cifg) Gate(p, kLstmInputGate, x, h, c, true, ig);
  Gate(p, kLstmForgetGate, x, h, c, true, fg);
  Gate(p, kLstmCellGate, x, h, c, false, cg);
  for (int i = 0; i < n; ++i) c[i] *= fg[i];
  for (int i = 0; i < n; ++i) c[i] += cg[i] * (cifg ? 1.f - fg[i] : ig[i]);
  if (p.cell_clip > 0.f)
    for (int i = 0; i < n; ++i) c[i] = std::min(p.cell_clip, std::max(-p.cell_clip, c[i]));
  Gate(p, kLstmOutputGate, x, h, c, true, og);  // peephole sees the new cell state
  for (int i = 0; i < n; ++i) hidden[i] = og[i] * Activate(p.activation, c[i]);
  const int nb = p.n_batch, no = p.n_output;
  if (p.projection_weights) {
    for (int b = 0; b < nb; ++b)
      for (int r = 0; r < no; ++r) h[b * no + r] = p.projection_bias ? p.projection_bias[r] : 0.f;
    MatVecAccumulate(p.projection_weights, no, p.n_cell, hidden, nb, h);
    if (p.proj_clip > 0.f)
      for (int i = 0; i < nb * no; ++i) h[i] = std::min(p.proj_clip, std::max(-p.proj_clip, h[i]));
  } else {
    std::copy_n(hidden, nb * no, h);
  }
  for (int b = 0; b < nb; ++b) std::copy_n(h + b * no, no, out + b * out_stride);
}

}  // namespace pyrt
