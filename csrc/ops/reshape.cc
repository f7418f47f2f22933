// RESHAPE: same bytes, new shape. The shape comes from the constant second
// input when it has one element per output dim, else from the options; one
// dimension may be -1 and is inferred.
#include <cstring>

#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class Reshape : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 2);
    RequireOutputCount(1);
    Tensor& in = input(0);
    Tensor& out = output(0);
    PYRT_ENSURE(in.dtype == out.dtype, label(), ": input type ", DTypeName(in.dtype),
                " differs from output type ", DTypeName(out.dtype));
    Shape shape = RequestedShape();
    int infer = -1;
    int64_t known = 1;
    for (size_t i = 0; i < shape.size(); ++i) {
      if (shape[i] == -1) {
        PYRT_ENSURE(infer == -1, label(), ": more than one -1 in new shape ", ShapeToString(shape));
        infer = static_cast<int>(i);
      } else {
        PYRT_ENSURE(shape[i] >= 0, label(), ": invalid new shape ", ShapeToString(shape));
        known *= shape[i];
        PYRT_ENSURE(known <= kMaxTensorElements, label(), ": new shape is too large");
      }
    }
    const int64_t n = in.num_elements();
    if (infer >= 0) {
      PYRT_ENSURE(known > 0 && n % known == 0, label(), ": cannot reshape ", ShapeToString(in.shape),
                  " to ", ShapeToString(shape));
      shape[infer] = static_cast<int32_t>(n / known);
    }
    PYRT_ENSURE(NumElements(shape) == n, label(), ": cannot reshape ", ShapeToString(in.shape),
                " (", n, " elements) to ", ShapeToString(shape));
    SetOutputShape(out, shape);
  }

  void Eval(const EvalContext&) override {
    const Tensor& in = input(0);
    Tensor& out = output(0);
    if (in.data != out.data) std::memmove(out.data, in.data, in.bytes);
  }

 private:
  Shape RequestedShape() const {
    const Tensor* shape = optional_input(1);
    // A non-empty 1-D shape tensor wins; an empty one falls back to options.
    if (shape && shape->rank() == 1 && shape->dim(0) > 0) {
      RequireValue(*shape, label(), "shape");
      PYRT_ENSURE(shape->dtype == DType::kInt32 || shape->dtype == DType::kInt64, label(),
                  ": shape input must be int32 or int64");
      Shape out(shape->dim(0));
      for (size_t i = 0; i < out.size(); ++i) {
        int64_t v;
        if (shape->dtype == DType::kInt32) {
          int32_t v32;
          std::memcpy(&v32, shape->data + 4 * i, 4);
          v = v32;
        } else {
          std::memcpy(&v, shape->data + 8 * i, 8);
        }
        PYRT_ENSURE(v >= -1 && v <= kMaxTensorElements, label(), ": invalid new shape value ", v);
        out[i] = static_cast<int32_t>(v);
      }
      return out;
    }
    const ReshapeOptions& o = options<ReshapeOptions>();
    if (o.has_new_shape) return o.new_shape;
    return output(0).shape;
  }
};

// SHAPE: the input's dimensions as int32 or int64. Folded at Prepare.
class ShapeOp : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    Tensor& out = output(0);
    PYRT_ENSURE(out.dtype == DType::kInt32 || out.dtype == DType::kInt64, label(),
                ": output must be int32 or int64");
    SetOutputShape(out, {input(0).rank()});
  }

  void Eval(const EvalContext&) override {
    const Tensor& in = input(0);
    Tensor& out = output(0);
    for (int i = 0; i < in.rank(); ++i) {
      if (out.dtype == DType::kInt32) {
        out.data_as<int32_t>()[i] = in.dim(i);
      } else {
        out.data_as<int64_t>()[i] = in.dim(i);
      }
    }
  }

  bool DependsOnlyOnInputShapes() const override { return true; }
};

}  // namespace

std::unique_ptr<Op> MakeReshape() { return std::make_unique<Reshape>(); }
std::unique_ptr<Op> MakeShape() { return std::make_unique<ShapeOp>(); }

}  // namespace pyrt
