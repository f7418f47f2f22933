#include "ops/lstm_common.h"

namespace pyrt {
namespace {

void RequireShape(const Op& op, const Tensor* t, const Shape& shape, const char* role) {
  PYRT_ENSURE(t->shape == shape, op.label(), ": ", role, " tensor ", t->index, " '", t->name,
              "' has shape ", ShapeToString(t->shape), ", expected ", ShapeToString(shape));
}

}  // namespace

LstmShape CheckLstmOperands(const Op& op, Tensor* const* in, int num_inputs, bool time_major) {
  PYRT_ENSURE(num_inputs == 20 || num_inputs == 24, op.label(), ": expected 20 or 24 inputs, got ",
              num_inputs);
  auto present = [&](int i) { return i < num_inputs && in[i] != nullptr; };
  static const char* kGate[4] = {"input", "forget", "cell", "output"};
  for (int i : {int(kLstmInput), kLstmInputToInput + 1, kLstmInputToInput + 2, kLstmInputToInput + 3,
                kLstmRecurrentToInput + 1, kLstmRecurrentToInput + 2, kLstmRecurrentToInput + 3,
                int(kLstmOutputState), int(kLstmCellState)})
    PYRT_ENSURE(present(i), op.label(), ": required input ", i, " is missing");
  LstmShape s;
  s.time_major = time_major;
  const Tensor* x = in[kLstmInput];
  PYRT_ENSURE(x->rank() == 3, op.label(), ": input '", x->name, "' has shape ",
              ShapeToString(x->shape), ", expected rank 3");
  s.n_time = time_major ? x->dim(0) : x->dim(1);
  s.n_batch = time_major ? x->dim(1) : x->dim(0);
  s.n_input = x->dim(2);
  const Tensor* w_o = in[kLstmInputToInput + 3];
  PYRT_ENSURE(w_o->rank() == 2, op.label(), ": input_to_output weights must have rank 2");
  s.n_cell = w_o->dim(0);
  const Tensor* r_o = in[kLstmRecurrentToInput + 3];
  PYRT_ENSURE(r_o->rank() == 2, op.label(), ": recurrent_to_output weights must have rank 2");
  s.n_output = r_o->dim(1);
  s.cifg = !present(kLstmInputToInput);
  PYRT_ENSURE(s.cifg == !present(kLstmRecurrentToInput), op.label(),
              ": input_to_input and recurrent_to_input weights must be both present or both absent");
  for (int g = s.cifg ? 1 : 0; g < 4; ++g) {
    RequireShape(op, in[kLstmInputToInput + g], {s.n_cell, s.n_input},
                 (std::string("input_to_") + kGate[g] + " weights").c_str());
    RequireShape(op, in[kLstmRecurrentToInput + g], {s.n_cell, s.n_output},
                 (std::string("recurrent_to_") + kGate[g] + " weights").c_str());
    if (present(kLstmInputGateBias + g))
      RequireShape(op, in[kLstmInputGateBias + g], {s.n_cell}, (std::string(kGate[g]) + " gate bias").c_str());
  }
  s.peephole = present(kLstmCellToInput + 1) || present(kLstmCellToInput + 2);
  for (int k = 0; k < 3; ++k) {
    if (k == 0 && s.cifg) continue;
    if (s.peephole) {
      PYRT_ENSURE(present(kLstmCellToInput + k), op.label(), ": peephole weights ", 9 + k,
                  " are missing while others are present");
      RequireShape(op, in[kLstmCellToInput + k], {s.n_cell}, "peephole weights");
    }
  }
  s.projection = present(kLstmProjectionWeights);
  if (s.projection)
    RequireShape(op, in[kLstmProjectionWeights], {s.n_output, s.n_cell}, "projection weights");
  else
    PYRT_ENSURE(s.n_output == s.n_cell, op.label(), ": without projection the output size ",
                s.n_output, " must equal the cell size ", s.n_cell);
  if (present(kLstmProjectionBias))
    RequireShape(op, in[kLstmProjectionBias], {s.n_output}, "projection bias");
  RequireShape(op, in[kLstmOutputState], {s.n_batch, s.n_output}, "output state");
  RequireShape(op, in[kLstmCellState], {s.n_batch, s.n_cell}, "cell state");
  for (int g = 0; g < 4; ++g) s.layer_norm = s.layer_norm || present(kLstmInputLayerNorm + g);
  return s;
}

}  // namespace pyrt
