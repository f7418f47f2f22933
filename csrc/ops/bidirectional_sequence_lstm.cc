// BIDIRECTIONAL_SEQUENCE_LSTM, float32: two LSTM layers over one sequence, the
// forward one from the first step to the last, the backward one from the last
// to the first, as TFLite's bidirectional_sequence_lstm.cc (EvalFloat with
// forward_sequence false for the backward layer). Each direction has its own
// 17 weight operands (CIFG, peephole and projection allowed, as in
// UNIDIRECTIONAL_SEQUENCE_LSTM) and variable output and cell states, kept
// across invokes until reset_all_variables(). Outputs: forward and backward
// sequences, or one with both concatenated per step (merge_outputs).
// Auxiliary inputs (stacked cross-linked layers) and hybrid weights are refused.
#include <algorithm>

#include "kernels/lstm_f32_kernel.h"
#include "ops/lstm_common.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

// TFLite's 48-input layout: input, forward operands 1-17, backward 18-34,
// states 35-38, auxiliary input 39 and its weights 40-47.
constexpr int kFwFirst = 1, kBwFirst = 18, kFwOutputState = 35, kAuxInput = 39, kNumInputs = 48;

class BidirectionalSequenceLstmF32 : public Op {
 public:
  void Prepare() override {
    RequireInputCount(kNumInputs, kNumInputs);
    const RecurrentOptions& o = options<RecurrentOptions>();
    merge_ = o.merge_outputs;
    RequireOutputCount(merge_ ? 1 : 2);
    for (int i = kAuxInput; i < kNumInputs; ++i)
      PYRT_ENSURE(optional_input(i) == nullptr, label(), ": auxiliary input ", i,
                  " is not supported");
    for (int i = 0; i < kAuxInput; ++i)
      if (Tensor* t = optional_input(i)) RequireType(*t, DType::kFloat32, "operand");
    for (int k = 0; k < num_outputs(); ++k) RequireType(output(k), DType::kFloat32, "output");
    PYRT_ENSURE(o.activation == Activation::kNone || o.activation == Activation::kRelu ||
                    o.activation == Activation::kRelu6 || o.activation == Activation::kReluN1To1 ||
                    o.activation == Activation::kTanh,
                label(), ": unsupported activation ", static_cast<int>(o.activation));
    PYRT_ENSURE(o.cell_clip >= 0.f && o.proj_clip >= 0.f, label(), ": negative clip value");
    size_t scratch = 0;
    for (int d = 0; d < 2; ++d) {
      // The direction's operands in the unidirectional 20-input layout.
      Tensor* in[20] = {};
      in[kLstmInput] = &input(0);
      const int first = d == 0 ? kFwFirst : kBwFirst;
      for (int i = 0; i < 17; ++i) in[kLstmInputToInput + i] = optional_input(first + i);
      in[kLstmOutputState] = optional_input(kFwOutputState + 2 * d);
      in[kLstmCellState] = optional_input(kFwOutputState + 2 * d + 1);
      s_[d] = CheckLstmOperands(*this, in, 20, o.time_major);
      for (int i : {int(kLstmOutputState), int(kLstmCellState)})
        PYRT_ENSURE(!in[i]->is_constant, label(), ": state tensor ", in[i]->index, " '",
                    in[i]->name, "' must be a variable tensor, not a constant");
      for (int i = kLstmInputToInput; i < kLstmOutputState; ++i)
        if (in[i])
          PYRT_ENSURE(in[i]->is_constant, label(), ": weight/bias input '", in[i]->name,
                      "' must be constant");
      state_[d][0] = in[kLstmOutputState];
      state_[d][1] = in[kLstmCellState];
      LstmF32Params& p = params_[d];
      p = LstmF32Params();
      p.n_batch = 1;  // one row at a time: each direction walks its own time order
      p.n_input = s_[d].n_input;
      p.n_cell = s_[d].n_cell;
      p.n_output = s_[d].n_output;
      auto data = [&](int i) -> const float* { return in[i] ? in[i]->data_as<float>() : nullptr; };
      for (int g = 0; g < 4; ++g) {
        p.input_weights[g] = data(kLstmInputToInput + g);
        p.recurrent_weights[g] = data(kLstmRecurrentToInput + g);
        p.bias[g] = data(kLstmInputGateBias + g);
      }
      if (s_[d].peephole) {
        p.peephole[kLstmInputGate] = s_[d].cifg ? nullptr : data(kLstmCellToInput);
        p.peephole[kLstmForgetGate] = data(kLstmCellToInput + 1);
        p.peephole[kLstmOutputGate] = data(kLstmCellToInput + 2);
      }
      p.projection_weights = data(kLstmProjectionWeights);
      p.projection_bias = data(kLstmProjectionBias);
      p.activation = o.activation;
      p.cell_clip = o.cell_clip;
      p.proj_clip = o.proj_clip;
      kernel_[d].Init(isa(), p, builtin_float_rounding());
      scratch = std::max(scratch, kernel_[d].ScratchBytes(s_[d].n_time));
    }
    // As the reference's Prepare: the backward operands are checked against
    // the forward sizes.
    PYRT_ENSURE(s_[1].n_cell == s_[0].n_cell && s_[1].n_output == s_[0].n_output, label(),
                ": backward cell/output sizes ", s_[1].n_cell, "/", s_[1].n_output,
                " differ from the forward ", s_[0].n_cell, "/", s_[0].n_output);
    const LstmShape& f = s_[0];
    for (int k = 0; k < num_outputs(); ++k) {
      const int n = merge_ ? s_[0].n_output + s_[1].n_output : s_[k].n_output;
      SetOutputShape(output(k), f.time_major ? Shape{f.n_time, f.n_batch, n}
                                             : Shape{f.n_batch, f.n_time, n});
    }
    scratch_bytes_ = scratch;
  }

  void Eval(const EvalContext& ctx) override {
    const float* x = input(0).data_as<float>();
    for (int d = 0; d < 2; ++d) {
      const LstmShape& s = s_[d];
      float* h = state_[d][0]->data_as<float>();
      float* c = state_[d][1]->data_as<float>();
      const int64_t stride = merge_ ? s_[0].n_output + s_[1].n_output : s.n_output;
      float* out = output(merge_ ? 0 : d).data_as<float>() + (merge_ && d == 1 ? s_[0].n_output : 0);
      // One row a step (each batch row on its own state), in the direction's order.
      for (int b = 0; b < s.n_batch; ++b) {
        const int64_t first_row = s.time_major ? b : int64_t{b} * s.n_time;
        const int64_t row_step = s.time_major ? s.n_batch : 1;
        const LstmF32Kernel::Sequence seq{s.n_time,        x + first_row * s.n_input,
                                          row_step * s.n_input, out + first_row * stride,
                                          row_step * stride, stride,
                                          /*reverse=*/d == 1};
        kernel_[d].Run(seq, h + int64_t{b} * s.n_output, c + int64_t{b} * s.n_cell, ctx.scratch,
                       ctx.pool);
      }
    }
  }

 private:
  bool merge_ = false;
  LstmShape s_[2];
  LstmF32Params params_[2];
  LstmF32Kernel kernel_[2];
  Tensor* state_[2][2] = {};
};

}  // namespace

std::unique_ptr<Op> MakeBidirectionalSequenceLstm() {
  return std::make_unique<BidirectionalSequenceLstmF32>();
}

}  // namespace pyrt
