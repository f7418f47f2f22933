// UNIDIRECTIONAL_SEQUENCE_LSTM: an LSTM layer over a [batch, time, input]
// (or time-major) sequence. The output and cell states are variable tensors
// the op updates in place, so they carry over to the next invoke until
// reset_all_variables(), as in TFLite.
//
// float32: kernels/lstm_f32_kernel (TFLite's EvalFloat arithmetic on the
// float GEMM and the vector sigmoid / tanh).
// int8 (8x8->16, int16 cell state): kernels/reference/lstm_s8 (EvalInteger8x8_16).
#include <algorithm>

#include "kernels/lstm_f32_kernel.h"
#include "ops/lstm_common.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class UnidirectionalSequenceLstmF32 : public Op {
 public:
  void Prepare() override {
    const RecurrentOptions& o = options<RecurrentOptions>();
    s_ = CheckLstmOperands(*this, bound_inputs().data(), num_inputs(), o.time_major);
    RequireOutputCount(1);
    PYRT_ENSURE(!s_.layer_norm, label(), ": layer-norm LSTM is not supported");
    PYRT_ENSURE(o.activation == Activation::kNone || o.activation == Activation::kRelu ||
                    o.activation == Activation::kRelu6 || o.activation == Activation::kReluN1To1 ||
                    o.activation == Activation::kTanh,
                label(), ": unsupported activation ", static_cast<int>(o.activation));
    PYRT_ENSURE(o.cell_clip >= 0.f && o.proj_clip >= 0.f, label(), ": negative clip value");
    for (int i = 0; i < num_inputs(); ++i)
      if (Tensor* t = optional_input(i)) RequireType(*t, DType::kFloat32, "operand");
    RequireType(output(0), DType::kFloat32, "output");
    for (int i : {int(kLstmOutputState), int(kLstmCellState)})
      PYRT_ENSURE(!input(i).is_constant, label(), ": state tensor ", input(i).index, " '",
                  input(i).name, "' must be a variable tensor, not a constant");
    for (int i = 1; i < kLstmOutputState; ++i)
      if (Tensor* t = optional_input(i))
        PYRT_ENSURE(t->is_constant, label(), ": weight/bias input ", i, " '", t->name,
                    "' must be constant");
    LstmF32Params& p = params_;
    p = LstmF32Params();
    p.n_input = s_.n_input;
    p.n_cell = s_.n_cell;
    p.n_output = s_.n_output;
    p.n_batch = s_.time_major ? s_.n_batch : 1;
    auto data = [&](int i) -> const float* {
      Tensor* t = optional_input(i);
      return t ? t->data_as<float>() : nullptr;
    };
    for (int g = 0; g < 4; ++g) {
      p.input_weights[g] = data(kLstmInputToInput + g);
      p.recurrent_weights[g] = data(kLstmRecurrentToInput + g);
      p.bias[g] = data(kLstmInputGateBias + g);
    }
    if (s_.peephole) {
      p.peephole[kLstmInputGate] = s_.cifg ? nullptr : data(kLstmCellToInput);
      p.peephole[kLstmForgetGate] = data(kLstmCellToInput + 1);
      p.peephole[kLstmOutputGate] = data(kLstmCellToInput + 2);
    }
    p.projection_weights = data(kLstmProjectionWeights);
    p.projection_bias = data(kLstmProjectionBias);
    p.activation = o.activation;
    p.cell_clip = o.cell_clip;
    p.proj_clip = o.proj_clip;
    SetOutputShape(output(0), s_.time_major ? Shape{s_.n_time, s_.n_batch, s_.n_output}
                                            : Shape{s_.n_batch, s_.n_time, s_.n_output});
    kernel_.Init(isa(), p, builtin_float_rounding());
    scratch_bytes_ = kernel_.ScratchBytes(s_.n_time);
  }

  void Eval(const EvalContext& ctx) override {
    const float* x = input(kLstmInput).data_as<float>();
    float* h = input(kLstmOutputState).data_as<float>();
    float* c = input(kLstmCellState).data_as<float>();
    float* out = output(0).data_as<float>();
    const int64_t ni = s_.n_input, no = s_.n_output, nc = s_.n_cell, steps = s_.n_time;
    if (s_.time_major)
      return kernel_.Run({steps, x, s_.n_batch * ni, out, s_.n_batch * no, no}, h, c, ctx.scratch,
                         ctx.pool);
    for (int b = 0; b < s_.n_batch; ++b)  // each sequence on its own state row
      kernel_.Run({steps, x + b * steps * ni, ni, out + b * steps * no, no, no}, h + b * no,
                  c + b * nc, ctx.scratch, ctx.pool);
  }

 private:
  LstmShape s_;
  LstmF32Params params_;
  LstmF32Kernel kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeUnidirectionalSequenceLstmF32() {
  return std::make_unique<UnidirectionalSequenceLstmF32>();
}

}  // namespace pyrt
