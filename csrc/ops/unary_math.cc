// ABS, EXP, LOG, SQRT and RSQRT on int8 (elementwise.cc / exp.cc), as
// 256-entry tables: ABS requantizes |v - zp| only when the scales differ;
// EXP and LOG are LUTPopulate tables with float math, LOG mapping x <= 0 to
// the output's lowest value; SQRT truncates a float result; RSQRT is fixed
// point. TFLite has no int8 kernel for NEG and SQUARE (the converter keeps
// them in float): those are float32 only (ops/unary_f32.cc) and their
// quantized side here rejects the model.
#include <cmath>

#include "kernels/reference/activations_s8.h"
#include "kernels/reference/unary_s8.h"
#include "ops/registry.h"
#include "ops/unary_table_op.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

class AbsS8Op : public UnaryTableS8 {
 protected:
  void BuildTable(const Tensor& in, const Tensor& out, int8_t lut[256]) override {
    AbsParams p;
    p.input_zero_point = in.zero_point();
    p.output_zero_point = out.zero_point();
    p.rescale = in.scale() != out.scale();
    if (p.rescale) {
      const QuantizedMultiplier q =
          QuantizeMultiplier(in.scale() / out.scale(), label() + " input/output scale");
      p.multiplier = q.multiplier;
      p.shift = q.shift;
    }
    TabulateS8([&p](int8_t v) { return AbsS8(p, v); }, lut);
  }
};

float ExpF(float x) { return std::exp(x); }

class ExpS8Op : public UnaryTableS8 {
 protected:
  void BuildTable(const Tensor& in, const Tensor& out, int8_t lut[256]) override {
    BuildLutS8(in.scale(), in.zero_point(), out.scale(), out.zero_point(), ExpF, lut);
  }
};

// log(x), or the lowest output value (param) for x <= 0.
float LogOrMin(float x, const void* lowest) {
  return x <= 0.0f ? *static_cast<const float*>(lowest) : std::log(x);
}

class LogS8Op : public UnaryTableS8 {
 protected:
  void BuildTable(const Tensor& in, const Tensor& out, int8_t lut[256]) override {
    // (int8 min - zp) is an int, times the float scale.
    const float lowest = static_cast<float>(-128 - out.zero_point()) * out.scale();
    BuildLutS8WithParam(in.scale(), in.zero_point(), out.scale(), out.zero_point(), LogOrMin,
                        &lowest, lut);
  }
};

class SqrtS8Op : public UnaryTableS8 {
 protected:
  void BuildTable(const Tensor& in, const Tensor& out, int8_t lut[256]) override {
    SqrtParams p;
    p.input_scale = in.scale();
    p.output_scale = out.scale();
    p.input_zero_point = in.zero_point();
    p.output_zero_point = out.zero_point();
    TabulateS8([&p](int8_t v) { return SqrtS8(p, v); }, lut);
  }
};

class RsqrtS8Op : public UnaryTableS8 {
 protected:
  void BuildTable(const Tensor& in, const Tensor& out, int8_t lut[256]) override {
    // sqrt and the product in float, the reciprocal in double.
    const double real = 1. / (std::sqrt(in.scale()) * out.scale());
    const QuantizedMultiplier q = QuantizeMultiplier(real, label() + " 1 / (sqrt(s_in) * s_out)");
    RsqrtParams p;
    p.input_zero_point = in.zero_point();
    p.output_zero_point = out.zero_point();
    p.multiplier = q.multiplier;
    p.shift = q.shift;
    TabulateS8([&p](int8_t v) { return RsqrtS8(p, v); }, lut);
  }
};

// Quantized side of an op TFLite only has a float32 kernel for.
class FloatOnly : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    const Tensor& in = input(0);
    ThrowModelError(label(), ": only float32 is supported (TFLite has no quantized kernel for "
                    "this op), got input tensor ", in.index, " '", in.name, "' ",
                    DTypeName(in.dtype));
  }
  void Eval(const EvalContext&) override {}
};

}  // namespace

std::unique_ptr<Op> MakeAbs() { return std::make_unique<AbsS8Op>(); }
std::unique_ptr<Op> MakeExp() { return std::make_unique<ExpS8Op>(); }
std::unique_ptr<Op> MakeLog() { return std::make_unique<LogS8Op>(); }
std::unique_ptr<Op> MakeNoQuantizedKernel() { return std::make_unique<FloatOnly>(); }
std::unique_ptr<Op> MakeSqrt() { return std::make_unique<SqrtS8Op>(); }
std::unique_ptr<Op> MakeRsqrt() { return std::make_unique<RsqrtS8Op>(); }

}  // namespace pyrt
