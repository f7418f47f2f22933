// BIDIRECTIONAL_SEQUENCE_RNN, float32: two RNN layers over one sequence, the
// forward one from the first step to the last, the backward one from the last
// to the first, each with its own weights and variable hidden state (kept
// across invokes until reset_all_variables), as TFLite's
// bidirectional_sequence_rnn.cc. Outputs: forward and backward sequences, or
// one sequence with both concatenated per step (merge_outputs). Auxiliary
// inputs (stacked cross-linked layers) and hybrid weights are refused.
#include "kernels/reference/rnn_f32.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

enum BidiRnnInput {
  kInput = 0,
  kFwWeights = 1,  // + weights, recurrent weights, bias, hidden state
  kBwWeights = 5,
  kAuxInput = 9,
  kFwAuxWeights = 10,
  kBwAuxWeights = 11,
};

class BidirectionalSequenceRnnF32 : public Op {
 public:
  void Prepare() override {
    RequireInputCount(12, 12);
    const RecurrentOptions& o = options<RecurrentOptions>();
    merge_ = o.merge_outputs;
    RequireOutputCount(merge_ ? 1 : 2);
    for (int i : {int(kAuxInput), int(kFwAuxWeights), int(kBwAuxWeights)})
      PYRT_ENSURE(optional_input(i) == nullptr, label(), ": auxiliary input ", i,
                  " is not supported");
    for (int i = 0; i < kAuxInput; ++i) RequireType(input(i), DType::kFloat32, "operand");
    for (int k = 0; k < num_outputs(); ++k) RequireType(output(k), DType::kFloat32, "output");
    const Tensor& x = input(kInput);
    PYRT_ENSURE(x.rank() == 3, label(), ": input ", ShapeToString(x.shape), " must have rank 3");
    time_major_ = o.time_major;
    batch_ = time_major_ ? x.dim(1) : x.dim(0);
    time_ = time_major_ ? x.dim(0) : x.dim(1);
    n_input_ = x.dim(2);
    for (int d = 0; d < 2; ++d) {
      const int base = d == 0 ? kFwWeights : kBwWeights;
      const Tensor& w = input(base);
      PYRT_ENSURE(w.rank() == 2 && w.dim(1) == n_input_, label(), ": ", kDir[d], " weights ",
                  ShapeToString(w.shape), " do not fit input ", ShapeToString(x.shape));
      const int units = w.dim(0);
      PYRT_ENSURE(input(base + 1).shape == Shape({units, units}) &&
                      input(base + 2).shape == Shape({units}) &&
                      input(base + 3).shape == Shape({batch_, units}),
                  label(), ": ", kDir[d], " recurrent weights ", ShapeToString(input(base + 1).shape),
                  ", bias ", ShapeToString(input(base + 2).shape), " or hidden state ",
                  ShapeToString(input(base + 3).shape), " do not fit ", units, " units");
      for (int i = 0; i < 3; ++i)
        PYRT_ENSURE(input(base + i).is_constant, label(), ": ", kDir[d], " weights/bias input ",
                    base + i, " must be constant");
      PYRT_ENSURE(!input(base + 3).is_constant, label(), ": the ", kDir[d],
                  " hidden state must be a variable tensor");
      units_[d] = units;
    }
    PYRT_ENSURE(o.activation == Activation::kNone || o.activation == Activation::kRelu ||
                    o.activation == Activation::kRelu6 || o.activation == Activation::kReluN1To1 ||
                    o.activation == Activation::kTanh,
                label(), ": unsupported activation");
    act_ = o.activation;
    for (int k = 0; k < num_outputs(); ++k) {
      const int n = merge_ ? units_[0] + units_[1] : units_[k];
      SetOutputShape(output(k), time_major_ ? Shape{time_, batch_, n} : Shape{batch_, time_, n});
    }
  }

  void Eval(const EvalContext&) override {
    const float* x = input(kInput).data_as<float>();
    for (int d = 0; d < 2; ++d) {
      const int base = d == 0 ? kFwWeights : kBwWeights;
      const float* w = input(base).data_as<float>();
      const float* r = input(base + 1).data_as<float>();
      const float* b = input(base + 2).data_as<float>();
      float* h = input(base + 3).data_as<float>();
      // Output rows: `stride` floats per (batch, step), this direction at `offset`.
      const int64_t stride = merge_ ? units_[0] + units_[1] : units_[d];
      float* out = output(merge_ ? 0 : d).data_as<float>() + (merge_ && d == 1 ? units_[0] : 0);
      for (int bi = 0; bi < batch_; ++bi)
        for (int k = 0; k < time_; ++k) {
          const int t = d == 0 ? k : time_ - 1 - k;
          const int64_t row = time_major_ ? int64_t{t} * batch_ + bi : int64_t{bi} * time_ + t;
          RnnStepF32(x + row * n_input_, w, r, b, n_input_, units_[d], 1, act_,
                     h + int64_t{bi} * units_[d], out + row * stride);
        }
    }
  }

 private:
  static constexpr const char* kDir[2] = {"forward", "backward"};
  bool merge_ = false, time_major_ = false;
  int batch_ = 0, time_ = 0, n_input_ = 0;
  int units_[2] = {0, 0};
  Activation act_ = Activation::kNone;
};

}  // namespace

std::unique_ptr<Op> MakeBidirectionalSequenceRnn() {
  return std::make_unique<BidirectionalSequenceRnnF32>();
}

}  // namespace pyrt
