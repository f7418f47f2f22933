// One int8 LSTM time step with an int16 cell state (TFLite's 8x8->16
// integer LSTM: lstm_eval.cc LstmStepInteger8x8_16 with the portable
// tensor_utils kernels).
//
// Each gate: for the input and the recurrent product, acc = bias' + sum(x*w)
// (bias' folds the zero point: bias - zp * rowsum(w)), requantized by
// MultiplyByQuantizedMultiplier to Q3.12 and added to the gate with int16
// saturation; peephole terms likewise; then gemmlowp's int16 logistic (input,
// forget, output gates) or tanh (cell gate). Cell: c = rdiv(f*c, 2^15) +
// rdiv(i*g, 2^(30+cell_scale)) saturated and clipped. Hidden: o *
// tanh(c) requantized to int8 around the hidden zero point.
#pragma once

#include <cstdint>

#include "quant/multiplier.h"

namespace pyrt {

struct LstmS8Params {
  int n_batch = 1, n_input = 0, n_cell = 0, n_output = 0;
  const int8_t* input_weights[4] = {};      // [n_cell, n_input]; [0] null for CIFG
  const int8_t* recurrent_weights[4] = {};  // [n_cell, n_output]
  const int32_t* input_bias[4] = {};        // folded: gate bias - input zp * rowsum
  const int32_t* recurrent_bias[4] = {};    // folded: - output state zp * rowsum
  const int16_t* peephole[4] = {};          // [n_cell] or null (input, forget, output)
  QuantizedMultiplier input_scale[4], recurrent_scale[4], peephole_scale[4];
  QuantizedMultiplier hidden_scale;
  int32_t hidden_zp = 0;
  int cell_scale = -15;  // log2 of the cell state's scale
  int16_t cell_clip = 0;  // 0: none
};

// int16 scratch elements LstmStepS8 needs (four gates and tanh(c)) plus
// int8 hidden: in bytes.
inline int64_t LstmS8ScratchBytes(const LstmS8Params& p) {
  return int64_t{5} * p.n_batch * p.n_cell * 2 + int64_t{p.n_batch} * p.n_cell;
}

// x: [n_batch, n_input]; h: [n_batch, n_output] int8 and c: [n_batch, n_cell]
// int16, updated in place; out: [n_batch, n_output].
void LstmStepS8(const LstmS8Params& p, const int8_t* x, int8_t* h, int16_t* c, int8_t* out,
                uint8_t* scratch);

}  // namespace pyrt
