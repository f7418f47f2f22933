// IF, WHILE, CALL_ONCE and STABLEHLO_COMPOSITE: ops that run other subgraphs
// of the model.
//
// Each op owns a planned instance of every subgraph it runs (ContextOp);
// Eval copies the op's inputs into the instance's inputs, invokes it and
// copies its outputs back. Shapes are fixed at Prepare: IF branches must
// agree on their output shapes and a WHILE body must keep the shape of every
// loop variable (dynamic shapes inside control flow are refused at load).
#include <cstring>

#include "ops/context_op.h"
#include "ops/registry.h"
#include "interpreter/interpreter.h"

namespace pyrt {
namespace {

// A one-element bool condition, as TFLite's IF and WHILE read it.
void RequireCondition(const Op& op, const Tensor& t, const std::string& what) {
  PYRT_ENSURE(t.dtype == DType::kBool && t.num_elements() == 1, op.label(), ": ", what,
              " tensor ", t.index, " '", t.name, "' is ", DTypeName(t.dtype),
              ShapeToString(t.shape), ", expected a bool with one element");
}

class IfOp : public ContextOp {
 public:
  void Prepare() override {
    PYRT_ENSURE(num_inputs() >= 1, label(), ": expected the condition and the branch inputs");
    RequireCondition(*this, input(0), "condition");
    cond_ = &input(0);
    args_.clear();
    for (int i = 1; i < num_inputs(); ++i) args_.push_back(&input(i));
    outs_.clear();
    for (int k = 0; k < num_outputs(); ++k) outs_.push_back(&output(k));
    const SubgraphOptions& o = options<SubgraphOptions>();
    branch_[0] = &PrepareSubgraph(0, o.first, args_);
    branch_[1] = &PrepareSubgraph(1, o.second, args_);
    const char* names[2] = {"then", "else"};
    for (int b = 0; b < 2; ++b)
      PYRT_ENSURE(branch_[b]->outputs().size() == outs_.size(), label(), ": ", names[b],
                  " subgraph has ", branch_[b]->outputs().size(), " outputs, the op has ",
                  outs_.size());
    for (size_t k = 0; k < outs_.size(); ++k) {
      const Tensor& a = SubgraphOutput(*branch_[0], k);
      const Tensor& b = SubgraphOutput(*branch_[1], k);
      for (const Tensor* t : {&a, &b})
        PYRT_ENSURE(t->dtype == outs_[k]->dtype, label(), ": branch output ", k, " '", t->name,
                    "' is ", DTypeName(t->dtype), ", the op's output '", outs_[k]->name,
                    "' is ", DTypeName(outs_[k]->dtype));
      PYRT_ENSURE(a.shape == b.shape, label(), ": output ", k, " has shape ",
                  ShapeToString(a.shape), " in the then branch and ", ShapeToString(b.shape),
                  " in the else branch; outputs whose shape depends on the condition are not "
                  "supported");
      SetOutputShape(*outs_[k], a.shape);
    }
  }

  void Eval(const EvalContext&) override {
    Interpreter& sub = *branch_[cond_->data[0] ? 0 : 1];
    RunSubgraph(sub, args_);
    CopyOutputs(sub, outs_);
  }

 private:
  std::vector<Tensor*> args_, outs_;
  Interpreter* branch_[2] = {nullptr, nullptr};
  const Tensor* cond_ = nullptr;
};

class WhileOp : public ContextOp {
 public:
  void Prepare() override {
    PYRT_ENSURE(num_inputs() == num_outputs(), label(), ": ", num_inputs(), " inputs but ",
                num_outputs(), " outputs; WHILE passes each loop variable through");
    vars_in_.clear();
    vars_.clear();
    for (int i = 0; i < num_inputs(); ++i) {
      vars_in_.push_back(&input(i));
      vars_.push_back(&output(i));
      RequireType(output(i), input(i).dtype, "loop variable");
      SetOutputShape(output(i), input(i).shape);
    }
    const SubgraphOptions& o = options<SubgraphOptions>();
    cond_ = &PrepareSubgraph(0, o.first, vars_in_);
    body_ = &PrepareSubgraph(1, o.second, vars_in_);
    PYRT_ENSURE(cond_->outputs().size() == 1, label(), ": cond subgraph ", o.first, " has ",
                cond_->outputs().size(), " outputs, expected 1");
    RequireCondition(*this, SubgraphOutput(*cond_, 0), "cond subgraph output");
    PYRT_ENSURE(body_->outputs().size() == vars_.size(), label(), ": body subgraph ", o.second,
                " has ", body_->outputs().size(), " outputs, expected ", vars_.size());
    // A body with shapes computed at invoke (Keras 3 RNNs: TensorList writes
    // as SLICE + CONCATENATION with sizes from the step counter) has its final
    // output shapes only once it ran: those are checked after each run.
    body_dynamic_ = body_->dynamic();
    for (size_t k = 0; k < vars_.size(); ++k)
      if (!body_dynamic_ || SubgraphOutput(*body_, k).dtype != vars_[k]->dtype)
        CheckBodyOutput(k);
    // A variable the body returns as it got it (Keras RNNs' input sequence)
    // keeps its value: copied into the instances once per invoke, not per step.
    unchanged_.assign(vars_.size(), false);
    for (size_t k = 0; k < vars_.size(); ++k)
      unchanged_[k] = body_->outputs()[k] == body_->inputs()[k];
  }

  // The trip count depends on the data; like TFLite, a loop whose condition
  // never turns false does not return.
  void Eval(const EvalContext&) override {
    for (size_t k = 0; k < vars_.size(); ++k)
      std::memcpy(vars_[k]->data, vars_in_[k]->data, vars_[k]->bytes);
    for (bool first = true;; first = false) {
      RunSubgraph(*cond_, vars_, first ? nullptr : &unchanged_);
      if (!SubgraphOutput(*cond_, 0).data[0]) break;
      RunSubgraph(*body_, vars_, first ? nullptr : &unchanged_);
      if (body_dynamic_)
        for (size_t k = 0; k < vars_.size(); ++k) CheckBodyOutput(k);
      CopyOutputs(*body_, vars_, &unchanged_);
    }
  }

 private:
  void CheckBodyOutput(size_t k) const {
    const Tensor& t = SubgraphOutput(*body_, k);
    PYRT_ENSURE(t.dtype == vars_[k]->dtype && t.shape == vars_[k]->shape, label(),
                ": body subgraph turns loop variable ", k, " '", vars_[k]->name, "' from ",
                DTypeName(vars_[k]->dtype), ShapeToString(vars_[k]->shape), " into ",
                DTypeName(t.dtype), ShapeToString(t.shape),
                "; loop variables that change shape are not supported");
  }

  bool body_dynamic_ = false;
  std::vector<bool> unchanged_;  // per loop variable: the body passes it through
  std::vector<Tensor*> vars_in_, vars_;
  Interpreter* cond_ = nullptr;
  Interpreter* body_ = nullptr;
};

// Runs its init subgraph (which assigns resource variables) on the first
// invoke only, and again after Interpreter::ResetVariables.
class CallOnceOp : public ContextOp {
 public:
  void Prepare() override {
    RequireInputCount(0, 0);
    RequireOutputCount(0);
    index_ = options<SubgraphOptions>().first;
    init_ = &PrepareSubgraph(0, index_, {});
    store_ = &context().resources;
  }

  void Eval(const EvalContext&) override {
    if (store_->init_done(index_)) return;
    init_->Invoke();
    store_->set_init_done(index_);
  }

 private:
  int index_ = -1;
  Interpreter* init_ = nullptr;
  ResourceStore* store_ = nullptr;
};

// STABLEHLO_COMPOSITE: a named group of ops whose meaning is its
// decomposition subgraph; we run that subgraph like a call.
class CompositeOp : public ContextOp {
 public:
  void Prepare() override {
    args_.clear();
    outs_.clear();
    for (int i = 0; i < num_inputs(); ++i) args_.push_back(&input(i));
    for (int k = 0; k < num_outputs(); ++k) outs_.push_back(&output(k));
    const int index = options<SubgraphOptions>().first;
    sub_ = &PrepareSubgraph(0, index, args_);
    PYRT_ENSURE(sub_->outputs().size() == outs_.size(), label(), ": decomposition subgraph ", index,
                " has ", sub_->outputs().size(), " outputs, the op has ", outs_.size());
    for (size_t k = 0; k < outs_.size(); ++k) {
      const Tensor& t = SubgraphOutput(*sub_, k);
      PYRT_ENSURE(t.dtype == outs_[k]->dtype, label(), ": decomposition output ", k, " '", t.name,
                  "' is ", DTypeName(t.dtype), ", the op's output '", outs_[k]->name, "' is ",
                  DTypeName(outs_[k]->dtype));
      SetOutputShape(*outs_[k], t.shape);
    }
  }

  void Eval(const EvalContext&) override {
    RunSubgraph(*sub_, args_);
    CopyOutputs(*sub_, outs_);
  }

 private:
  std::vector<Tensor*> args_, outs_;
  Interpreter* sub_ = nullptr;
};

}  // namespace

std::unique_ptr<Op> MakeComposite() { return std::make_unique<CompositeOp>(); }

std::unique_ptr<Op> MakeIf() { return std::make_unique<IfOp>(); }
std::unique_ptr<Op> MakeWhile() { return std::make_unique<WhileOp>(); }
std::unique_ptr<Op> MakeCallOnce() { return std::make_unique<CallOnceOp>(); }

}  // namespace pyrt
