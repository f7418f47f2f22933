// RNN and UNIDIRECTIONAL_SEQUENCE_RNN, float32: h = act(W x + R h + b) per
// step, the hidden state a variable tensor the op updates in place (kept
// across invokes until reset_all_variables), as TFLite's basic_rnn.cc and
// unidirectional_sequence_rnn.cc. Hybrid (int8-weight) versions are refused.
#include "kernels/reference/rnn_f32.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class RnnF32 : public Op {
 public:
  explicit RnnF32(bool sequence) : sequence_(sequence) {}

  void Prepare() override {
    RequireInputCount(5, 5);
    RequireOutputCount(1);
    const RecurrentOptions& o = options<RecurrentOptions>();
    for (int i = 0; i < 5; ++i) RequireType(input(i), DType::kFloat32, "operand");
    RequireType(output(0), DType::kFloat32, "output");
    const Tensor& x = input(0);
    const Tensor& w = input(1);
    const Tensor& r = input(2);
    PYRT_ENSURE(x.rank() == (sequence_ ? 3 : 2) && w.rank() == 2, label(), ": input ",
                ShapeToString(x.shape), " / weights ", ShapeToString(w.shape), " have the wrong rank");
    time_major_ = sequence_ && o.time_major;
    batch_ = sequence_ ? (time_major_ ? x.dim(1) : x.dim(0)) : x.dim(0);
    time_ = sequence_ ? (time_major_ ? x.dim(0) : x.dim(1)) : 1;
    n_input_ = x.dim(x.rank() - 1);
    units_ = w.dim(0);
    PYRT_ENSURE(w.dim(1) == n_input_ && r.shape == Shape({units_, units_}) &&
                    input(3).shape == Shape({units_}) &&
                    input(4).shape == Shape({batch_, units_}),
                label(), ": weights ", ShapeToString(w.shape), ", recurrent weights ",
                ShapeToString(r.shape), ", bias ", ShapeToString(input(3).shape),
                " or hidden state ", ShapeToString(input(4).shape), " do not fit input ",
                ShapeToString(x.shape));
    for (int i = 1; i < 4; ++i)
      PYRT_ENSURE(input(i).is_constant, label(), ": weights/bias input ", i, " must be constant");
    PYRT_ENSURE(!input(4).is_constant, label(), ": the hidden state must be a variable tensor");
    PYRT_ENSURE(o.activation == Activation::kNone || o.activation == Activation::kRelu ||
                    o.activation == Activation::kRelu6 || o.activation == Activation::kReluN1To1 ||
                    o.activation == Activation::kTanh,
                label(), ": unsupported activation");
    act_ = o.activation;
    if (sequence_)
      SetOutputShape(output(0), time_major_ ? Shape{time_, batch_, units_} : Shape{batch_, time_, units_});
    else
      SetOutputShape(output(0), {batch_, units_});
  }

  void Eval(const EvalContext&) override {
    const float* x = input(0).data_as<float>();
    const float* w = input(1).data_as<float>();
    const float* r = input(2).data_as<float>();
    const float* b = input(3).data_as<float>();
    float* h = input(4).data_as<float>();
    float* out = output(0).data_as<float>();
    if (!sequence_ || time_major_) {
      for (int t = 0; t < time_; ++t)
        RnnStepF32(x + int64_t{t} * batch_ * n_input_, w, r, b, n_input_, units_, batch_, act_, h,
                   out + int64_t{t} * batch_ * units_);
      return;
    }
    for (int bi = 0; bi < batch_; ++bi)
      for (int t = 0; t < time_; ++t) {
        const int64_t row = int64_t{bi} * time_ + t;
        RnnStepF32(x + row * n_input_, w, r, b, n_input_, units_, 1, act_, h + int64_t{bi} * units_,
                   out + row * units_);
      }
  }

 private:
  bool sequence_;
  bool time_major_ = false;
  int batch_ = 0, time_ = 0, n_input_ = 0, units_ = 0;
  Activation act_ = Activation::kNone;
};

}  // namespace

std::unique_ptr<Op> MakeRnn() { return std::make_unique<RnnF32>(false); }
std::unique_ptr<Op> MakeUnidirectionalSequenceRnn() { return std::make_unique<RnnF32>(true); }

}  // namespace pyrt
