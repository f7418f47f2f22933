#include "ops/context_op.h"

#include <algorithm>
#include <cstring>

#include "interpreter/interpreter.h"

namespace pyrt {
namespace {

// Each call site owns its instances, so nested call sites multiply them; a
// hostile file could ask for 2^30. Real models use a handful.
constexpr int kMaxSubgraphInstances = 4096;

}  // namespace

ContextOp::~ContextOp() = default;

ModelContext& ContextOp::context() const {
  PYRT_ENSURE(context_, label(), ": internal error: no model context");
  return *context_;
}

void ContextOp::ResetState() {
  for (auto& sub : subgraphs_)
    if (sub) sub->ResetVariables();
}

Interpreter& ContextOp::PrepareSubgraph(size_t slot, int subgraph,
                                        const std::vector<Tensor*>& inputs) {
  ModelContext& ctx = context();
  PYRT_ENSURE(subgraph >= 0 && static_cast<size_t>(subgraph) < ctx.model->subgraphs.size(),
              label(), ": subgraph index ", subgraph, " out of range (",
              ctx.model->subgraphs.size(), " subgraphs)");
  PYRT_ENSURE(static_cast<uint32_t>(subgraph) != ctx.options.subgraph, label(), ": runs subgraph ",
              subgraph, ", the graph it is in (recursion is not supported)");
  if (subgraphs_.size() <= slot) subgraphs_.resize(slot + 1);
  std::unique_ptr<Interpreter>& sub = subgraphs_[slot];
  const std::string where = StrCat(label(), ": subgraph ", subgraph, ": ");
  if (sub) {
    // Re-planning after a resize or a computed-shape re-plan: only the input
    // shapes may have changed. Unchanged shapes keep the instance as it is
    // (its recurrent state included).
    bool same = sub->prepared();
    for (size_t i = 0; i < inputs.size(); ++i)
      same = same && sub->input_tensor(i).shape == inputs[i]->shape;
    if (same) return *sub;
    for (size_t i = 0; i < inputs.size(); ++i) sub->SetSubgraphInputShape(i, inputs[i]->shape);
    try {
      sub->Prepare();
    } catch (const std::exception& e) {
      throw ModelError(where + e.what());
    }
    return *sub;
  }
  PYRT_ENSURE(std::find(ctx.building.begin(), ctx.building.end(), subgraph) == ctx.building.end(),
              label(), ": subgraph ", subgraph, " runs itself (recursion is not supported)");
  const SubgraphDesc& desc = ctx.model->subgraphs[subgraph];
  PYRT_ENSURE(desc.error.empty(), label(), ": ", desc.error);
  PYRT_ENSURE(desc.inputs.size() == inputs.size(), where, "has ", desc.inputs.size(),
              " inputs, the op passes ", inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const TensorDesc& td = desc.tensors[desc.inputs[i]];
    PYRT_ENSURE(td.dtype == inputs[i]->dtype, where, "input ", i, " '", td.name, "' has type ",
                DTypeName(td.dtype), ", the op passes ", DTypeName(inputs[i]->dtype), " tensor '",
                inputs[i]->name, "'");
  }
  PYRT_ENSURE(++ctx.instances <= kMaxSubgraphInstances, label(), ": more than ",
              kMaxSubgraphInstances, " subgraph instances (nested control flow fans out too far)");
  ctx.building.push_back(subgraph);
  try {
    std::vector<Shape> shapes;
    for (Tensor* t : inputs) shapes.push_back(t->shape);
    sub = std::make_unique<Interpreter>(&ctx, subgraph, shapes);
  } catch (const std::exception& e) {
    ctx.building.pop_back();
    sub.reset();
    throw ModelError(where + e.what());
  }
  ctx.building.pop_back();
  return *sub;
}

void ContextOp::RunSubgraph(Interpreter& sub, const std::vector<Tensor*>& inputs,
                            const std::vector<bool>* skip) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (skip && (*skip)[i]) continue;
    Tensor& dst = sub.input_tensor(i);
    if (dst.data != inputs[i]->data) std::memcpy(dst.data, inputs[i]->data, dst.bytes);
  }
  sub.Invoke();
}

const Tensor& ContextOp::SubgraphOutput(const Interpreter& sub, size_t k) {
  return sub.tensors()[sub.outputs()[k]];
}

void ContextOp::CopyOutputs(Interpreter& sub, const std::vector<Tensor*>& outputs,
                            const std::vector<bool>* skip) {
  for (size_t k = 0; k < outputs.size(); ++k) {
    if (skip && (*skip)[k]) continue;
    const Tensor& src = SubgraphOutput(sub, k);
    if (src.data != outputs[k]->data) std::memmove(outputs[k]->data, src.data, outputs[k]->bytes);
  }
}

}  // namespace pyrt
