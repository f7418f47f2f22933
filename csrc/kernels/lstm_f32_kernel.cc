#include "kernels/lstm_f32_kernel.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace pyrt {

void LstmF32Kernel::Init(Isa isa, const LstmF32Params& p, bool builtin_rounding) {
  p_ = p;
  cifg_ = p.input_weights[kLstmInputGate] == nullptr;
  const int gates = cifg_ ? 3 : 4, nc = p.n_cell;
  width_ = gates * nc;
  // The gates' weights stacked into one matrix per operand, rows in Slot order.
  std::vector<float> wx(static_cast<size_t>(width_) * p.n_input);
  std::vector<float> wh(static_cast<size_t>(width_) * p.n_output), bias(width_, 0.f);
  for (int g = cifg_ ? 1 : 0; g < 4; ++g) {
    const size_t row0 = static_cast<size_t>(Slot(g)) * nc;
    std::copy_n(p.input_weights[g], static_cast<size_t>(nc) * p.n_input, wx.begin() + row0 * p.n_input);
    std::copy_n(p.recurrent_weights[g], static_cast<size_t>(nc) * p.n_output,
                wh.begin() + row0 * p.n_output);
    if (p.bias[g]) std::copy_n(p.bias[g], nc, bias.begin() + row0);
  }
  const float inf = std::numeric_limits<float>::infinity();
  input_.Init(isa, width_, p.n_input, wx.data(), bias.data(), -inf, inf, builtin_rounding);
  recurrent_.Init(isa, width_, p.n_output, wh.data(), nullptr, -inf, inf, builtin_rounding);
  if (p.projection_weights)
    projection_.Init(isa, p.n_output, nc, p.projection_weights, p.projection_bias, -inf, inf,
                     builtin_rounding);
  has_projection_ = p.projection_weights != nullptr;
  vmath_ = &F32VmathConfigFor(isa);
}

size_t LstmF32Kernel::ScratchBytes(int64_t steps) const {
  const int64_t nb = p_.n_batch;
  // Input projections of every step, the recurrent ones of a step, hidden,
  // one row of act(c), the input rows gathered when strided.
  return sizeof(float) * static_cast<size_t>(steps * nb * width_ + nb * width_ + nb * p_.n_cell +
                                             p_.n_cell + steps * nb * p_.n_input);
}

void LstmF32Kernel::Activate(Activation a, int64_t n, float* v) const {
  switch (a) {
    case Activation::kTanh: return vmath_->tanh(n, v, v);
    case Activation::kRelu:
      for (int64_t i = 0; i < n; ++i) v[i] = std::max(0.f, v[i]);
      return;
    case Activation::kReluN1To1:
      for (int64_t i = 0; i < n; ++i) v[i] = std::min(1.f, std::max(-1.f, v[i]));
      return;
    case Activation::kRelu6:
      for (int64_t i = 0; i < n; ++i) v[i] = std::min(6.f, std::max(0.f, v[i]));
      return;
    default: return;
  }
}

void LstmF32Kernel::Run(const Sequence& seq, float* h, float* c, uint8_t* scratch,
                        ThreadPool* pool) const {
  const int nb = p_.n_batch, nc = p_.n_cell, no = p_.n_output, ni = p_.n_input;
  const int64_t steps = seq.steps, rows = steps * nb;
  float* gx = reinterpret_cast<float*>(scratch);
  float* gh = gx + rows * width_;
  float* hidden = gh + static_cast<int64_t>(nb) * width_;
  float* act = hidden + static_cast<int64_t>(nb) * nc;
  // Every step's input projection in one GEMM, rows in step order.
  const float* x = seq.x;
  if (seq.x_step != int64_t{nb} * ni) {
    float* gathered = act + nc;
    for (int64_t t = 0; t < steps; ++t)
      std::copy_n(seq.x + t * seq.x_step, static_cast<size_t>(nb) * ni, gathered + t * nb * ni);
    x = gathered;
  }
  input_.Run(static_cast<int>(rows), x, gx, pool);
  for (int64_t k = 0; k < steps; ++k) {
    const int64_t t = seq.reverse ? steps - 1 - k : k;
    recurrent_.Run(nb, h, gh, pool);
    for (int b = 0; b < nb; ++b) {
      float* g = gx + (t * nb + b) * width_;
      const float* r = gh + static_cast<int64_t>(b) * width_;
      float* cb = c + static_cast<int64_t>(b) * nc;
      for (int i = 0; i < width_; ++i) g[i] += r[i];
      float* ig = cifg_ ? nullptr : g + Slot(kLstmInputGate) * nc;
      float* fg = g + Slot(kLstmForgetGate) * nc;
      float* cg = g + Slot(kLstmCellGate) * nc;
      float* og = g + Slot(kLstmOutputGate) * nc;
      if (ig && p_.peephole[kLstmInputGate])
        for (int i = 0; i < nc; ++i) ig[i] += p_.peephole[kLstmInputGate][i] * cb[i];
      if (p_.peephole[kLstmForgetGate])
        for (int i = 0; i < nc; ++i) fg[i] += p_.peephole[kLstmForgetGate][i] * cb[i];
      if (ig) vmath_->logistic(nc, ig, ig);
      vmath_->logistic(nc, fg, fg);
      Activate(p_.activation, nc, cg);
      for (int i = 0; i < nc; ++i) cb[i] *= fg[i];
      for (int i = 0; i < nc; ++i) cb[i] += cg[i] * (ig ? ig[i] : 1.f - fg[i]);
      if (p_.cell_clip > 0.f)
        for (int i = 0; i < nc; ++i) cb[i] = std::min(p_.cell_clip, std::max(-p_.cell_clip, cb[i]));
      if (p_.peephole[kLstmOutputGate])  // sees the new cell state
        for (int i = 0; i < nc; ++i) og[i] += p_.peephole[kLstmOutputGate][i] * cb[i];
      vmath_->logistic(nc, og, og);
      std::copy_n(cb, nc, act);
      Activate(p_.activation, nc, act);
      float* hb = hidden + static_cast<int64_t>(b) * nc;
      for (int i = 0; i < nc; ++i) hb[i] = og[i] * act[i];
    }
    if (has_projection_) {
      projection_.Run(nb, hidden, h, pool);
      if (p_.proj_clip > 0.f)
        for (int i = 0; i < nb * no; ++i) h[i] = std::min(p_.proj_clip, std::max(-p_.proj_clip, h[i]));
    } else {
      std::copy_n(hidden, static_cast<size_t>(nb) * no, h);
    }
    for (int b = 0; b < nb; ++b)
      std::copy_n(h + static_cast<int64_t>(b) * no, no, seq.out + t * seq.out_step + b * seq.out_row_stride);
  }
}

}  // namespace pyrt
