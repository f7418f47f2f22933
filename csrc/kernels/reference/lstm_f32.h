// One float32 LSTM time step, as TFLite's lstm_eval.cc (EvalFloat /
// LstmStepFloat) computes it: each gate starts from its bias, adds the input
// and recurrent matrix-vector products (each dot product summed on its own,
// then added), the peephole term, then its activation; the cell state is
// f*c + g*i (CIFG: g*(1-f)), clipped; the output is o * act(c), projected
// and clipped when the model has a projection.
#pragma once

#include <cstdint>

#include "model/op_options.h"

namespace pyrt {

enum LstmGate { kLstmInputGate = 0, kLstmForgetGate = 1, kLstmCellGate = 2, kLstmOutputGate = 3 };

struct LstmF32Params {
  int n_batch = 1, n_input = 0, n_cell = 0, n_output = 0;
  const float* input_weights[4] = {};      // [n_cell, n_input]; [0] null for CIFG
  const float* recurrent_weights[4] = {};  // [n_cell, n_output]; [0] null for CIFG
  const float* peephole[4] = {};           // [n_cell] for input/forget/output gates, or null
  const float* bias[4] = {};               // [n_cell]; may be null (zero)
  const float* projection_weights = nullptr;  // [n_output, n_cell] or null
  const float* projection_bias = nullptr;     // [n_output] or null
  Activation activation = Activation::kTanh;  // cell gate and output
  float cell_clip = 0.f, proj_clip = 0.f;     // 0: no clipping
};

// Scratch floats LstmStepF32 needs.
inline int64_t LstmF32ScratchFloats(const LstmF32Params& p) {
  return int64_t{5} * p.n_batch * p.n_cell;
}

// x: [n_batch, n_input]; h: [n_batch, n_output] and c: [n_batch, n_cell]
// updated in place; out: [n_batch, n_output] (h's new value, written to
// output rows `out_stride` floats apart).
void LstmStepF32(const LstmF32Params& p, const float* x, float* h, float* c, float* out,
                 int64_t out_stride, float* scratch);

}  // namespace pyrt
