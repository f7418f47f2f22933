#include "ops/op.h"

#include <limits>

#include "quant/multiplier.h"

namespace pyrt {

void Op::Bind(const OpDesc* desc, std::vector<Tensor*> inputs, std::vector<Tensor*> outputs) {
  // Bound again at every re-plan of a dynamic graph (once per step of a
  // Keras RNN's loop): the label is made once, not formatted each time.
  if (desc != desc_) label_ = StrCat("op ", desc->index, " (", desc->name, ")");
  desc_ = desc;
  inputs_ = std::move(inputs);
  outputs_ = std::move(outputs);
}

void RequireValue(const Tensor& t, const std::string& what, const char* role) {
  if (!t.has_value())
    throw ValueNeeded(t.index, StrCat(what, ": ", role, " tensor ", t.index, " '", t.name,
                                      "' must be constant or computed from constants and "
                                      "graph inputs"));
}

Tensor& Op::input(int i) const {
  PYRT_ENSURE(i < num_inputs() && inputs_[i], label_, ": input ", i, " is missing");
  return *inputs_[i];
}

Tensor* Op::optional_input(int i) const { return i < num_inputs() ? inputs_[i] : nullptr; }

Tensor& Op::output(int i) const {
  PYRT_ENSURE(i < num_outputs() && outputs_[i], label_, ": output ", i, " is missing");
  return *outputs_[i];
}

void Op::RequireInputCount(int min, int max) const {
  PYRT_ENSURE(num_inputs() >= min && num_inputs() <= max, label_, ": expected ",
              min == max ? StrCat(min) : StrCat(min, "..", max), " inputs, got ",
              num_inputs());
}

void Op::RequireOutputCount(int n) const {
  PYRT_ENSURE(num_outputs() == n, label_, ": expected ", n, " outputs, got ", num_outputs());
}

void Op::RequireType(const Tensor& t, DType type, const char* role) const {
  PYRT_ENSURE(t.dtype == type, label_, ": ", role, " tensor ", t.index, " '", t.name,
              "' has type ", DTypeName(t.dtype), ", expected ", DTypeName(type));
}

void Op::RequirePerTensorQuant(const Tensor& t, const char* role) const {
  PYRT_ENSURE(t.quant.scale.size() == 1, label_, ": ", role, " tensor ", t.index, " '",
              t.name, "' needs per-tensor quantization, found ", t.quant.scale.size(),
              " scales");
  PYRT_ENSURE(t.quant.scale[0] > 0.f, label_, ": ", role, " tensor ", t.index, " '", t.name,
              "' has scale ", t.quant.scale[0], ", expected > 0");
  const ActivationRange r = DTypeRange(t.dtype);
  const int64_t zp = t.quant.zero_point[0];
  PYRT_ENSURE(zp >= r.min && zp <= r.max, label_, ": ", role, " tensor ", t.index, " '",
              t.name, "' has zero point ", zp, " outside the range of ", DTypeName(t.dtype));
}

void Op::SetOutputShape(Tensor& t, Shape shape) const {
  int64_t elements = 1;
  for (int32_t d : shape) {
    PYRT_ENSURE(d >= 0, label_, ": computed a negative dimension for output '", t.name, "'");
    elements *= d;
    PYRT_ENSURE(elements <= kMaxTensorElements, label_, ": output '", t.name, "' shape ",
                ShapeToString(shape), " is too large");
  }
  t.shape = std::move(shape);
}

}  // namespace pyrt
