// SVDF: input [batch, input], weights_feature [filters, input], weights_time
// [filters, memory], optional bias [units], activation state [batch,
// filters * memory] (a variable tensor the op updates in place, kept across
// invokes until reset_all_variables), output [batch, units = filters / rank].
// float32 and int8 (int16 time weights and state, int32 bias), as TFLite's
// svdf.cc; the int8 effective scales are computed in float then
// QuantizeMultiplier, as its Prepare does. TFLite's int8 kernel insists on a
// RELU activation yet applies none beyond the int8 clamp; so do we.
#include "kernels/reference/svdf.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class SvdfOp : public Op {
 public:
  void Prepare() override {
    RequireInputCount(5, 5);
    RequireOutputCount(1);
    const RecurrentOptions& o = options<RecurrentOptions>();
    Tensor& x = input(0);
    Tensor& wf = input(1);
    Tensor& wt = input(2);
    Tensor* bias = optional_input(3);
    Tensor& state = input(4);
    PYRT_ENSURE(x.rank() == 2 && wf.rank() == 2 && wt.rank() == 2, label(),
                ": input, weights_feature and weights_time must have rank 2");
    s_.batch = x.dim(0);
    s_.input = x.dim(1);
    s_.filters = wf.dim(0);
    s_.memory = wt.dim(1);
    s_.rank = o.rank;
    PYRT_ENSURE(wf.dim(1) == s_.input && wt.dim(0) == s_.filters && s_.memory > 0, label(),
                ": weights_feature ", ShapeToString(wf.shape), " / weights_time ",
                ShapeToString(wt.shape), " do not match input ", ShapeToString(x.shape));
    PYRT_ENSURE(s_.rank > 0 && s_.filters % s_.rank == 0, label(), ": rank ", s_.rank,
                " does not divide the ", s_.filters, " filters");
    s_.units = s_.filters / s_.rank;
    if (bias)
      PYRT_ENSURE(bias->rank() == 1 && bias->dim(0) == s_.units, label(), ": bias shape ",
                  ShapeToString(bias->shape), ", expected [", s_.units, "]");
    PYRT_ENSURE(state.num_elements() == int64_t{s_.batch} * s_.filters * s_.memory && !state.is_constant,
                label(), ": activation state '", state.name, "' must be a variable tensor of ",
                int64_t{s_.batch} * s_.filters * s_.memory, " elements");
    for (Tensor* t : {&wf, &wt})
      PYRT_ENSURE(t->is_constant, label(), ": weights '", t->name, "' must be constant");
    float_ = x.dtype == DType::kFloat32;
    if (float_) {
      for (Tensor* t : {&wf, &wt, &state, &output(0)}) RequireType(*t, DType::kFloat32, "operand");
      if (bias) RequireType(*bias, DType::kFloat32, "bias");
      PYRT_ENSURE(o.activation == Activation::kNone || o.activation == Activation::kRelu ||
                      o.activation == Activation::kRelu6 || o.activation == Activation::kReluN1To1 ||
                      o.activation == Activation::kTanh,
                  label(), ": unsupported activation");
      scratch_bytes_ = sizeof(float) * static_cast<size_t>(s_.batch) * s_.filters;
    } else {
      // TFLite's int8 kernel requires RELU (and then clamps only to int8).
      PYRT_ENSURE(o.activation == Activation::kRelu, label(), ": int8 SVDF needs activation RELU "
                  "(as TFLite's kernel), got ", static_cast<int>(o.activation));
      RequireType(x, DType::kInt8, "input");
      RequireType(wf, DType::kInt8, "weights_feature");
      RequireType(wt, DType::kInt16, "weights_time");
      RequireType(state, DType::kInt16, "activation state");
      RequireType(output(0), DType::kInt8, "output");
      if (bias) RequireType(*bias, DType::kInt32, "bias");
      for (Tensor* t : {&x, &wf, &wt, &state, &output(0)}) RequirePerTensorQuant(*t, "operand");
      p_.input_zp = x.zero_point();
      p_.output_zp = output(0).zero_point();
      const float s1 = x.scale() * wf.scale() / state.scale();
      const float s2 = state.scale() * wt.scale() / output(0).scale();
      p_.scale1 = QuantizeMultiplier(static_cast<double>(s1), label() + " feature scale");
      p_.scale2 = QuantizeMultiplier(static_cast<double>(s2), label() + " output scale");
      scratch_bytes_ = sizeof(int32_t) * static_cast<size_t>(s_.batch) * (s_.filters + s_.units);
    }
    activation_ = o.activation;
    SetOutputShape(output(0), {s_.batch, s_.units});
  }

  void Eval(const EvalContext& ctx) override {
    Tensor* bias = optional_input(3);
    if (float_) {
      SvdfF32(s_, input(0).data_as<float>(), input(1).data_as<float>(), input(2).data_as<float>(),
              bias ? bias->data_as<float>() : nullptr, activation_, input(4).data_as<float>(),
              reinterpret_cast<float*>(ctx.scratch), output(0).data_as<float>());
    } else {
      SvdfS8(s_, p_, input(0).data_as<int8_t>(), input(1).data_as<int8_t>(),
             input(2).data_as<int16_t>(), bias ? bias->data_as<int32_t>() : nullptr,
             input(4).data_as<int16_t>(), reinterpret_cast<int32_t*>(ctx.scratch),
             output(0).data_as<int8_t>());
    }
  }

 private:
  SvdfShape s_;
  SvdfS8Params p_;
  bool float_ = true;
  Activation activation_ = Activation::kNone;
};

}  // namespace

std::unique_ptr<Op> MakeSvdf() { return std::make_unique<SvdfOp>(); }

}  // namespace pyrt
