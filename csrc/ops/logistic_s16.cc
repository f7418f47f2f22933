// LOGISTIC and TANH, int16 in / int16 out (16x8 models): TFLite's reference
// integer_ops::Logistic / Tanh. Prepare follows SigmoidPrepare / TanhPrepare:
// a power-of-two input scale of 2^-12 (TANH also 2^-11) uses the fixed x3
// scaling, any other scale becomes an integer multiplier s_in * 4096 * 3
// doubled until it exceeds 32767 / 2. TANH exists for int16 only so far.
#include "kernels/sigmoid_s16_kernel.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

constexpr int kInputIntegerBits = 3;

class SigmoidTableOp : public Op {
 public:
  explicit SigmoidTableOp(bool tanh) : tanh_(tanh) {}

  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    Tensor& in = input(0);
    Tensor& out = output(0);
    RequireType(in, DType::kInt16, "input");
    RequireType(out, DType::kInt16, "output");
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    PYRT_ENSURE(in.zero_point() == 0 && out.zero_point() == 0, label(),
                ": int16 input and output need zero point 0, got ", in.zero_point(), " and ",
                out.zero_point());
    // LOGISTIC compares exactly, TANH through CheckedLog2.
    int log2_out = 0;
    PYRT_ENSURE(tanh_ ? CheckedLog2(out.scale(), &log2_out) && log2_out == -15
                      : static_cast<double>(out.scale()) == 1.0 / 32768,
                label(), ": output scale must be 1/32768, got ", out.scale());
    int log2_in = 0;
    const bool pot = CheckedLog2(in.scale(), &log2_in);
    params_ = LogisticS16Params{};
    params_.input_left_shift = (15 - kInputIntegerBits) + log2_in;
    const int max_pot_shift = tanh_ ? 1 : 0;
    if (!pot || params_.input_left_shift < 0 || params_.input_left_shift > max_pot_shift) {
      // Input scale -> 1 / (3 * 4096): the table spans +-10.7 in +-2^17.
      double multiplier = static_cast<double>(in.scale()) * 4096.0 * 3.0;
      params_.input_left_shift = 0;
      while (multiplier <= 32767.0 / 2.0 && params_.input_left_shift <= 30) {
        ++params_.input_left_shift;
        multiplier *= 2.0;
      }
      // Larger multipliers would overflow the int32 product in the kernel.
      PYRT_ENSURE(multiplier < 32768.0, label(), ": input scale ", in.scale(), " is too large");
      params_.input_multiplier = static_cast<int32_t>(multiplier);
    }
    SetOutputShape(out, in.shape);
    kernel_.Init(isa(), params_, tanh_);
  }

  void Eval(const EvalContext& ctx) override {
    kernel_.Run(input(0).num_elements(), input(0).data_as<int16_t>(),
                output(0).data_as<int16_t>(), ctx.pool);
  }

 private:
  bool tanh_;
  LogisticS16Params params_;
  SigmoidS16Kernel kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeLogisticS16() { return std::make_unique<SigmoidTableOp>(false); }
std::unique_ptr<Op> MakeTanhS16() { return std::make_unique<SigmoidTableOp>(true); }

}  // namespace pyrt
