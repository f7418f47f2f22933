// MAXIMUM, MINIMUM, PRELU, SQUARED_DIFFERENCE and DIV with numpy
// broadcasting up to rank 6. MAXIMUM / MINIMUM compare stored values of any
// numeric type (TFLite does not requantize); PRELU, SQUARED_DIFFERENCE and
// DIV have int8 and float32 versions.
#include <algorithm>

#include "kernels/reference/binary_elementwise.h"
#include "kernels/reference/elementwise_f32.h"
#include "kernels/sqrdiff_s8_kernel.h"
#include "ops/activation_range.h"
#include "ops/broadcast_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

// Two inputs of one type, broadcast output shape and plan.
class BroadcastBinaryOp : public Op {
 public:
  void Prepare() final {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& a = input(0);
    const Tensor& b = input(1);
    PYRT_ENSURE(a.dtype == b.dtype, label(), ": inputs must share one type, got input1 tensor ",
                a.index, " '", a.name, "' ", DTypeName(a.dtype), ", input2 tensor ", b.index,
                " '", b.name, "' ", DTypeName(b.dtype));
    RequireType(output(0), a.dtype, "output");
    SetOutputShape(output(0), BroadcastOutputShape(a, b, label()));
    plan_ = MakeBroadcastPlan(a.shape, b.shape);
    PrepareMore(a, b, output(0));
  }

 protected:
  virtual void PrepareMore(const Tensor& a, const Tensor& b, const Tensor& out) = 0;
  template <typename T> const T* a() const { return input(0).data_as<T>(); }
  template <typename T> const T* b() const { return input(1).data_as<T>(); }
  template <typename T> T* out() const { return output(0).data_as<T>(); }
  // The int8 ops: one scale and zero point per tensor.
  void RequirePerTensorS8(const Tensor& a, const char* a_role, const Tensor& b, const char* b_role,
                          const Tensor& out) const {
    PYRT_ENSURE(a.dtype == DType::kInt8, label(), ": only int8 and float32 are supported, got ",
                DTypeName(a.dtype));
    RequirePerTensorQuant(a, a_role);
    RequirePerTensorQuant(b, b_role);
    RequirePerTensorQuant(out, "output");
  }
  // Applies f(x, y) to the int8 inputs over the broadcast plan.
  template <typename F> void BroadcastS8(F f) const {
    BroadcastBinary(plan_, a<int8_t>(), b<int8_t>(), out<int8_t>(), f);
  }

  BroadcastPlan plan_;
};

class MinMaxOp : public BroadcastBinaryOp {
 public:
  explicit MinMaxOp(MinMax op) : op_(op) {}

  void Eval(const EvalContext&) override {
    switch (input(0).dtype) {
      case DType::kInt8: return Run<int8_t>();
      case DType::kUInt8: return Run<uint8_t>();
      case DType::kInt16: return Run<int16_t>();
      case DType::kInt32: return Run<int32_t>();
      case DType::kInt64: return Run<int64_t>();
      default: return Run<float>();
    }
  }

 private:
  void PrepareMore(const Tensor& a, const Tensor&, const Tensor&) override {
    const DType t = a.dtype;
    PYRT_ENSURE(t == DType::kInt8 || t == DType::kUInt8 || t == DType::kInt16 ||
                    t == DType::kInt32 || t == DType::kInt64 || t == DType::kFloat32,
                label(), ": unsupported type ", DTypeName(t));
  }
  template <typename T> void Run() { MinMaxBroadcast<T>(op_, plan_, a<T>(), b<T>(), out<T>()); }

  MinMax op_;
};

// PRELU: the output must keep the input's shape (alpha only broadcasts).
void RequireInputShapedOutput(const Tensor& in, const Tensor& out, const std::string& label) {
  PYRT_ENSURE(in.shape == out.shape, label, ": alpha must broadcast to the input shape ",
              ShapeToString(in.shape), ", got output shape ", ShapeToString(out.shape));
}

class PreluS8Op : public BroadcastBinaryOp {
 public:
  void Eval(const EvalContext&) override {
    const PreluParams& p = params_;
    BroadcastS8([&p](int8_t x, int8_t alpha) { return PreluS8(p, x, alpha); });
  }

 private:
  void PrepareMore(const Tensor& in, const Tensor& alpha, const Tensor& out) override {
    RequirePerTensorS8(in, "input", alpha, "alpha", out);
    RequireInputShapedOutput(in, out, label());
    // Ratios and the product are float expressions, widened to double.
    const float real_1 = in.scale() / out.scale();
    const float real_2 = in.scale() * alpha.scale() / out.scale();
    const QuantizedMultiplier q1 = QuantizeMultiplier(real_1, label() + " identity");
    const QuantizedMultiplier q2 = QuantizeMultiplier(real_2, label() + " alpha");
    params_.input_offset = -in.zero_point();
    params_.alpha_offset = -alpha.zero_point();
    params_.output_offset = out.zero_point();
    params_.multiplier_1 = q1.multiplier;
    params_.shift_1 = q1.shift;
    params_.multiplier_2 = q2.multiplier;
    params_.shift_2 = q2.shift;
  }

  PreluParams params_;
};

class SquaredDifferenceS8Op : public BroadcastBinaryOp {
 public:
  void Eval(const EvalContext&) override {
    kernel_.Run(a<int8_t>(), b<int8_t>(), out<int8_t>());
  }
  bool EvalScalarS8(int8_t x, int8_t y, int8_t* result) const override {
    *result = SquaredDifferenceS8(params_, x, y);
    return true;
  }

 private:
  void PrepareMore(const Tensor& a, const Tensor& b, const Tensor& out) override {
    RequirePerTensorS8(a, "input1", b, "input2", out);
    SquaredDifferenceParams& p = params_;
    // 2 * max is a float product, the rest double except (1 << 14) * s_out.
    const double twice_max = 2 * std::max(a.scale(), b.scale());
    const double real_out =
        (twice_max * twice_max) / static_cast<double>((1 << (p.left_shift * 2)) * out.scale());
    const QuantizedMultiplier q1 = QuantizeMultiplierSmallerThanOneExp(a.scale() / twice_max,
                                                                       label() + " input1");
    const QuantizedMultiplier q2 = QuantizeMultiplierSmallerThanOneExp(b.scale() / twice_max,
                                                                       label() + " input2");
    const QuantizedMultiplier qo = QuantizeMultiplierSmallerThanOneExp(real_out, label() + " output");
    p.input1_offset = -a.zero_point();
    p.input2_offset = -b.zero_point();
    p.output_offset = out.zero_point();
    p.input1_multiplier = q1.multiplier;
    p.input1_shift = q1.shift;
    p.input2_multiplier = q2.multiplier;
    p.input2_shift = q2.shift;
    p.output_multiplier = qo.multiplier;
    p.output_shift = qo.shift;
    kernel_.Init(isa(), p, plan_);
  }

  SquaredDifferenceParams params_;
  SquaredDifferenceS8Kernel kernel_;
};

class DivS8Op : public BroadcastBinaryOp {
 public:
  void Eval(const EvalContext&) override {
    const DivParams& p = params_;
    BroadcastS8([&p](int8_t x, int8_t y) { return DivS8(p, x, y); });
  }

 private:
  void PrepareMore(const Tensor& a, const Tensor& b, const Tensor& out) override {
    RequirePerTensorS8(a, "input1", b, "input2", out);
    const ActivationRange act =
        QuantizedActivationRange(options<ArithmeticOptions>().activation, out, label());
    // s1 / (s2 * s_out) in float, widened.
    const float real = a.scale() / (b.scale() * out.scale());
    const QuantizedMultiplier q = QuantizeMultiplier(real, label() + " s1 / (s2 * s_out)");
    // Keeps the kernel's final right shift >= 0 (|dividend| <= 255 has >= 22
    // bits of headroom); larger ratios would need a left shift.
    PYRT_ENSURE(q.shift <= 21, label(), ": input1 scale / (input2 scale * output scale) = ", real,
                " exceeds 2^21");
    params_.input1_offset = -a.zero_point();
    params_.input2_offset = -b.zero_point();
    params_.output_offset = out.zero_point();
    params_.output_multiplier = q.multiplier;
    params_.output_shift = q.shift;
    params_.act_min = act.min;
    params_.act_max = act.max;
  }

  DivParams params_;
};

enum class FloatBinary { kPrelu, kSquaredDifference, kDiv };

class FloatBinaryOp : public BroadcastBinaryOp {
 public:
  explicit FloatBinaryOp(FloatBinary op) : op_(op) {}

  void Eval(const EvalContext&) override {
    const float lo = lo_, hi = hi_;
    switch (op_) {
      case FloatBinary::kPrelu:
        return BinaryF32(isa(), BinaryF32Op::kPrelu, plan_, a<float>(), b<float>(), out<float>(), 0.f,
                         0.f);
      case FloatBinary::kSquaredDifference:
        return BroadcastBinary(plan_, a<float>(), b<float>(), out<float>(), [](float x, float y) {
          const float d = x - y;
          return d * d;
        });
      case FloatBinary::kDiv:
        return BroadcastBinary(plan_, a<float>(), b<float>(), out<float>(), [lo, hi](float x, float y) {
          return std::min(std::max(x / y, lo), hi);
        });
    }
  }

 private:
  void PrepareMore(const Tensor& a, const Tensor&, const Tensor& out) override {
    RequireType(a, DType::kFloat32, "input1");
    if (op_ == FloatBinary::kPrelu) RequireInputShapedOutput(a, out, label());
    if (op_ == FloatBinary::kDiv) {
      FloatActivationRange(options<ArithmeticOptions>().activation, &lo_, &hi_, label());
    }
  }

  FloatBinary op_;
  float lo_ = 0.f, hi_ = 0.f;
};

}  // namespace

std::unique_ptr<Op> MakeMaximum() { return std::make_unique<MinMaxOp>(MinMax::kMaximum); }
std::unique_ptr<Op> MakeMinimum() { return std::make_unique<MinMaxOp>(MinMax::kMinimum); }
std::unique_ptr<Op> MakePrelu() { return std::make_unique<PreluS8Op>(); }
std::unique_ptr<Op> MakePreluF32() { return std::make_unique<FloatBinaryOp>(FloatBinary::kPrelu); }
std::unique_ptr<Op> MakeSquaredDifference() { return std::make_unique<SquaredDifferenceS8Op>(); }
std::unique_ptr<Op> MakeSquaredDifferenceF32() {
  return std::make_unique<FloatBinaryOp>(FloatBinary::kSquaredDifference);
}
std::unique_ptr<Op> MakeDiv() { return std::make_unique<DivS8Op>(); }
std::unique_ptr<Op> MakeDivF32() { return std::make_unique<FloatBinaryOp>(FloatBinary::kDiv); }

}  // namespace pyrt
