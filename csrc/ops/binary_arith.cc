// ADD, SUB and MUL on quantized 8-bit tensors (int8, uint8) with numpy
// broadcasting up to rank 6 and a fused activation. int16 (16x8 models, zero
// points 0) uses the same formulas: ADD/SUB take TFLite's general-scale path
// (15 bits of headroom instead of 20), MUL is unchanged. The rescaling constants
// follow each TFLite Prepare exactly (docs/reference_semantics.md 4-6),
// including which products are taken in float and which in double.
#include <algorithm>

#include "kernels/binary_q8_kernel.h"
#include "ops/activation_range.h"
#include "ops/broadcast_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

// Shared validation, output shape and broadcast plan.
class BinaryArith : public Op {
 public:
  void Prepare() final {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& a = input(0);
    const Tensor& b = input(1);
    Tensor& out = output(0);
    PYRT_ENSURE(a.dtype == b.dtype && a.dtype == out.dtype, label(), ": inputs and output must "
                "share one type, got input1 tensor ", a.index, " '", a.name, "' ",
                DTypeName(a.dtype), ", input2 tensor ", b.index, " '", b.name, "' ",
                DTypeName(b.dtype), ", output tensor ", out.index, " '", out.name, "' ",
                DTypeName(out.dtype));
    PYRT_ENSURE(a.dtype == DType::kInt8 || a.dtype == DType::kUInt8 ||
                    (a.dtype == DType::kInt16 && SupportsInt16()),
                label(), ": only int8 and uint8 are supported, got ", DTypeName(a.dtype));
    RequirePerTensorQuant(a, "input1");
    RequirePerTensorQuant(b, "input2");
    RequirePerTensorQuant(out, "output");
    if (a.dtype == DType::kInt16) {
      PYRT_ENSURE(a.zero_point() == 0 && b.zero_point() == 0 && out.zero_point() == 0, label(),
                  ": int16 inputs and output need zero point 0");
    }
    SetOutputShape(out, BroadcastOutputShape(a, b, label()));
    plan_ = MakeBroadcastPlan(a.shape, b.shape);
    act_ = QuantizedActivationRange(options<ArithmeticOptions>().activation, out, label());
    PrepareQuantized(a, b, out);
  }

  void Eval(const EvalContext& ctx) final {
    if (output(0).dtype == DType::kInt16) {
      kernel_.Run(input(0).data_as<int16_t>(), input(1).data_as<int16_t>(),
                  output(0).data_as<int16_t>(), ctx.pool);
    } else if (output(0).dtype == DType::kInt8) {
      kernel_.Run(input(0).data_as<int8_t>(), input(1).data_as<int8_t>(),
                  output(0).data_as<int8_t>(), ctx.pool);
    } else {
      kernel_.Run(input(0).data_as<uint8_t>(), input(1).data_as<uint8_t>(),
                  output(0).data_as<uint8_t>(), ctx.pool);
    }
  }

 protected:
  // Computes the op's parameters and initializes kernel_.
  virtual void PrepareQuantized(const Tensor& a, const Tensor& b, const Tensor& out) = 0;
  virtual bool SupportsInt16() const { return false; }

  BroadcastPlan plan_;
  ActivationRange act_{-128, 127};
  BinaryQ8Kernel kernel_;
};

// True when every scale is a power of two in TFLite's CheckedLog2 sense.
bool AllPowerOfTwo(float s1, float s2, float s3) {
  int unused;
  return CheckedLog2(s1, &unused) && CheckedLog2(s2, &unused) && CheckedLog2(s3, &unused);
}

// ADD and SUB share the kernel; their Prepares round the scales differently.
class AddSub : public BinaryArith {
 public:
  explicit AddSub(bool subtract) { params_.subtract = subtract; }

 protected:
  bool SupportsInt16() const override { return true; }

 public:
  bool EvalScalarS8(int8_t a, int8_t b, int8_t* out) const override {
    if (output(0).dtype != DType::kInt8) return false;
    AddSubRowQ8(params_, &a, 1, &b, 1, out, 1);
    return true;
  }

 protected:

  void PrepareQuantized(const Tensor& a, const Tensor& b, const Tensor& out) override {
    const float s1 = a.scale(), s2 = b.scale(), so = out.scale();
    if (a.dtype == DType::kInt16) {
      // The power-of-two-scale int16 path (pot_scale_int16 with all scales
      // powers of two) is a different kernel, not implemented.
      PYRT_ENSURE(!options<ArithmeticOptions>().pot_scale_int16 || !AllPowerOfTwo(s1, s2, so),
                  label(), ": int16 ADD/SUB with power-of-two scales (pot_scale_int16) is not supported");
      params_.left_shift = 15;
    }
    double twice_max, real_out;
    if (params_.subtract) {
      // PrepareGeneralSubOp: the doubling and the 2^20 * s_out product are floats.
      twice_max = static_cast<double>(2.f * std::max(s1, s2));
      real_out = twice_max / static_cast<double>(static_cast<float>(1 << params_.left_shift) * so);
    } else {
      twice_max = 2.0 * static_cast<double>(std::max(s1, s2));
      real_out = twice_max / (static_cast<double>(1 << params_.left_shift) * static_cast<double>(so));
    }
    const QuantizedMultiplier q1 =
        QuantizeMultiplierSmallerThanOneExp(static_cast<double>(s1) / twice_max, label() + " input1");
    const QuantizedMultiplier q2 =
        QuantizeMultiplierSmallerThanOneExp(static_cast<double>(s2) / twice_max, label() + " input2");
    // TFLite aborts (ADD) or computes garbage (SUB) when this is >= 1.
    const QuantizedMultiplier qo = QuantizeMultiplierSmallerThanOneExp(real_out, label() + " output");
    params_.input1_offset = -a.zero_point();
    params_.input2_offset = -b.zero_point();
    params_.input1_multiplier = q1.multiplier;
    params_.input1_shift = q1.shift;
    params_.input2_multiplier = q2.multiplier;
    params_.input2_shift = q2.shift;
    params_.output_multiplier = qo.multiplier;
    params_.output_shift = qo.shift;
    params_.output_offset = out.zero_point();
    params_.act_min = act_.min;
    params_.act_max = act_.max;
    kernel_.InitAddSub(isa(), params_, plan_);
  }

 private:
  AddSubParams params_;
};

class Mul : public BinaryArith {
 protected:
  bool SupportsInt16() const override { return true; }

  void PrepareQuantized(const Tensor& a, const Tensor& b, const Tensor& out) override {
    // Evaluated in float, as TFLite's mul.cc does, then widened.
    const float real = a.scale() * b.scale() / out.scale();
    const QuantizedMultiplier q = QuantizeMultiplier(static_cast<double>(real), label());
    params_.input1_offset = -a.zero_point();
    params_.input2_offset = -b.zero_point();
    params_.output_multiplier = q.multiplier;
    params_.output_shift = q.shift;
    params_.output_offset = out.zero_point();
    params_.act_min = act_.min;
    params_.act_max = act_.max;
    kernel_.InitMul(isa(), params_, plan_);
  }

 public:
  bool EvalScalarS8(int8_t a, int8_t b, int8_t* out) const override {
    if (output(0).dtype != DType::kInt8) return false;
    MulRowQ8(params_, &a, 1, &b, 1, out, 1);
    return true;
  }

 private:
  MulParams params_;
};

}  // namespace

std::unique_ptr<Op> MakeAdd() { return std::make_unique<AddSub>(false); }
std::unique_ptr<Op> MakeSub() { return std::make_unique<AddSub>(true); }
std::unique_ptr<Op> MakeMul() { return std::make_unique<Mul>(); }

}  // namespace pyrt
