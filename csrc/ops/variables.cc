// Resource variables: VAR_HANDLE, READ_VARIABLE and ASSIGN_VARIABLE.
//
// VAR_HANDLE writes the int32 id of its (container, shared_name) into its
// resource tensor; it depends on nothing else, so it is folded at Prepare.
// The variable's type and shape come from the first ASSIGN_VARIABLE seen at
// Prepare (normally in the CALL_ONCE init subgraph, prepared before the
// main graph's READ_VARIABLE ops) and its bytes are allocated then, so invoke
// allocates nothing. Values persist across invokes until ResetVariables.
#include <cstring>

#include "ops/context_op.h"
#include "ops/registry.h"
#include "interpreter/interpreter.h"

namespace pyrt {
namespace {

// The variable a resource tensor names, when its id is known at Prepare.
ResourceVariable* KnownVariable(ResourceStore& store, const Tensor& handle) {
  if (!handle.is_constant || handle.num_elements() < 1) return nullptr;
  return store.Find(handle.data_as<int32_t>()[0]);
}

class VarHandleOp : public ContextOp {
 public:
  bool HasSideEffects() const override { return false; }

  void Prepare() override {
    RequireInputCount(0, 0);
    RequireOutputCount(1);
    RequireType(output(0), DType::kResource, "output");
    const VarHandleOptions& o = options<VarHandleOptions>();
    id_ = context().resources.HandleId(o.container, o.shared_name);
    if (output(0).num_elements() != 1) SetOutputShape(output(0), {});
  }

  void Eval(const EvalContext&) override { std::memcpy(output(0).data, &id_, sizeof(id_)); }

 private:
  int32_t id_ = -1;
};

class ReadVariableOp : public ContextOp {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    RequireType(input(0), DType::kResource, "handle");
    PYRT_ENSURE(input(0).num_elements() >= 1, label(), ": the resource handle is empty");
    store_ = &context().resources;
    handle_ = &input(0);
    out_ = &output(0);
    PYRT_ENSURE(DTypeSize(out_->dtype) != 0, label(), ": variables of type ",
                DTypeName(out_->dtype), " are not supported");
    ResourceVariable* v = KnownVariable(*store_, *handle_);
    if (!v) return;  // id known at invoke only: the output keeps its declared shape
    if (!v->declared) {
      v->dtype = out_->dtype;
      v->shape = out_->shape;
      v->data.assign(static_cast<size_t>(NumElements(out_->shape)) * DTypeSize(out_->dtype), 0);
      v->declared = true;
    }
    PYRT_ENSURE(v->dtype == out_->dtype, label(), ": variable '", v->name, "' holds ",
                DTypeName(v->dtype), ", the output '", out_->name, "' is ",
                DTypeName(out_->dtype));
    SetOutputShape(*out_, v->shape);
  }

  // A variable read before any assignment reads zeros (TFLite fails there).
  void Eval(const EvalContext&) override {
    const ResourceVariable* v = store_->Find(handle_->data_as<int32_t>()[0]);
    if (v && v->dtype == out_->dtype && v->data.size() == out_->bytes)
      std::memcpy(out_->data, v->data.data(), out_->bytes);
    else
      std::memset(out_->data, 0, out_->bytes);
  }

 private:
  ResourceStore* store_ = nullptr;
  const Tensor* handle_ = nullptr;
  Tensor* out_ = nullptr;
};

class AssignVariableOp : public ContextOp {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(0);
    RequireType(input(0), DType::kResource, "handle");
    PYRT_ENSURE(input(0).num_elements() >= 1, label(), ": the resource handle is empty");
    store_ = &context().resources;
    handle_ = &input(0);
    value_ = &input(1);
    const size_t elem = DTypeSize(value_->dtype);
    PYRT_ENSURE(elem != 0, label(), ": variables of type ", DTypeName(value_->dtype),
                " are not supported");
    ResourceVariable* v = KnownVariable(*store_, *handle_);
    if (!v) return;
    if (!v->declared) {
      v->dtype = value_->dtype;
      v->shape = value_->shape;
      v->data.assign(static_cast<size_t>(value_->num_elements()) * elem, 0);
      v->declared = true;
    }
    PYRT_ENSURE(v->dtype == value_->dtype && v->shape == value_->shape, label(), ": variable '",
                v->name, "' is ", DTypeName(v->dtype), ShapeToString(v->shape), ", assigned ",
                DTypeName(value_->dtype), ShapeToString(value_->shape), " from tensor '",
                value_->name, "'");
  }

  void Eval(const EvalContext&) override {
    ResourceVariable* v = store_->Find(handle_->data_as<int32_t>()[0]);
    if (!v) return;
    const size_t bytes = static_cast<size_t>(value_->num_elements()) * DTypeSize(value_->dtype);
    // Only a variable whose handle was unknown at Prepare is sized here.
    if (v->data.size() != bytes) v->data.resize(bytes);
    if (!v->declared || v->dtype != value_->dtype) {
      v->dtype = value_->dtype;
      v->declared = true;
    }
    std::memcpy(v->data.data(), value_->data, bytes);
    v->initialized = true;
  }

 private:
  ResourceStore* store_ = nullptr;
  const Tensor* handle_ = nullptr;
  const Tensor* value_ = nullptr;
};

}  // namespace

std::unique_ptr<Op> MakeVarHandle() { return std::make_unique<VarHandleOp>(); }
std::unique_ptr<Op> MakeReadVariable() { return std::make_unique<ReadVariableOp>(); }
std::unique_ptr<Op> MakeAssignVariable() { return std::make_unique<AssignVariableOp>(); }

}  // namespace pyrt
