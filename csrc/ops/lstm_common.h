// Operand layout and checks shared by the LSTM ops (TFLite's 24-input
// UNIDIRECTIONAL_SEQUENCE_LSTM / LSTM convention).
#pragma once

#include "ops/op.h"

namespace pyrt {

enum LstmInput {
  kLstmInput = 0,
  kLstmInputToInput = 1,  // + gate (input, forget, cell, output)
  kLstmRecurrentToInput = 5,  // + gate
  kLstmCellToInput = 9,  // peephole: input, forget, output
  kLstmInputGateBias = 12,  // + gate
  kLstmProjectionWeights = 16,
  kLstmProjectionBias = 17,
  kLstmOutputState = 18,
  kLstmCellState = 19,
  kLstmInputLayerNorm = 20,  // + gate
};

// Sizes read from the operands, validated against each other.
struct LstmShape {
  int n_batch = 0, n_time = 0, n_input = 0, n_cell = 0, n_output = 0;
  bool time_major = false;
  bool cifg = false, peephole = false, projection = false, layer_norm = false;
};

// Validates the operand shapes of a sequence LSTM op and returns its sizes.
LstmShape CheckLstmOperands(const Op& op, Tensor* const* in, int num_inputs, bool time_major);

}  // namespace pyrt
