// A float32 LSTM layer over a sequence, with the arithmetic of TFLite's
// lstm_eval.cc (EvalFloat / LstmStepFloat): each gate starts from its bias,
// adds the input and recurrent matrix-vector products, the peephole term,
// then its activation; the cell state is f*c + g*i (CIFG: g*(1-f)), clipped;
// the output is o * act(c), projected and clipped when the model has a
// projection. On the float GEMM: the input projections of every step in one
// GEMM before the loop (steps depend on each other only through h and c),
// then per step the recurrent projection of the state rows; sigmoid and
// tanh on the path's vector maps (kernels/f32_vmath/; libm on the reference
// path). The sums run in the GEMM's order, not the reference's dot-product
// order: float results within the float oracle, as LiteRT's optimized
// kernels are (tests/test_lstm.py, tests/test_bidirectional_sequence.py).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/f32_vmath/f32_vmath.h"
#include "kernels/isa.h"
#include "kernels/reference/conv_f32.h"
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

class ThreadPool;

class LstmF32Kernel {
 public:
  // p's weights are copied (packed); its peephole pointers are kept.
  void Init(Isa isa, const LstmF32Params& p, bool builtin_rounding);
  // Scratch bytes for Run over `steps` steps.
  size_t ScratchBytes(int64_t steps) const;
  // Where Run's steps read and write: step t's n_batch input rows (n_input
  // floats each, contiguous) at x + t * x_step, its output rows at
  // out + t * out_step, out_row_stride floats apart.
  struct Sequence {
    int64_t steps = 0;
    const float* x = nullptr;
    int64_t x_step = 0;
    float* out = nullptr;
    int64_t out_step = 0, out_row_stride = 0;
    bool reverse = false;  // steps taken from the last to the first
  };
  // State h [n_batch][n_output] and c [n_batch][n_cell] updated in place;
  // each step's output is h after it.
  void Run(const Sequence& seq, float* h, float* c, uint8_t* scratch, ThreadPool* pool) const;

 private:
  // Gate g's slice of a row of the gate projections (gates in the order
  // input, forget, cell, output; CIFG models have no input gate).
  int Slot(int g) const { return cifg_ ? g - 1 : g; }
  void Activate(Activation a, int64_t n, float* v) const;

  LstmF32Params p_;
  bool cifg_ = false;
  bool has_projection_ = false;
  int width_ = 0;  // gates * n_cell: one row of the gate projections
  FullyConnectedF32Kernel input_, recurrent_, projection_;
  const F32VmathConfig* vmath_ = nullptr;
};

}  // namespace pyrt
