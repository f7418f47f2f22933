// Base of the ops that need more than their own tensors: control flow (IF,
// WHILE, CALL_ONCE run other subgraphs) and resource variables (VAR_HANDLE,
// READ_VARIABLE, ASSIGN_VARIABLE use the model's ResourceStore).
//
// The interpreter hands every such op the ModelContext of its model before
// Prepare. A control-flow op owns one instance of each subgraph it runs
// (planned once, with its own arena), so the same subgraph called from two
// places with different shapes needs no re-planning at invoke.
#pragma once

#include <memory>
#include <vector>

#include "ops/op.h"

namespace pyrt {

class Interpreter;
struct ModelContext;

class ContextOp : public Op {
 public:
  ~ContextOp() override;
  void set_context(ModelContext* context) { context_ = context; }
  bool HasSideEffects() const override { return true; }
  // Resets the variable tensors of the subgraph instances this op owns.
  void ResetState();

 protected:
  ModelContext& context() const;
  // Builds (once) and prepares the instance of `subgraph` for slot `slot`,
  // with input shapes and types from `inputs`; errors name this op and the
  // subgraph. Throws on recursion (a subgraph that runs itself).
  Interpreter& PrepareSubgraph(size_t slot, int subgraph, const std::vector<Tensor*>& inputs);
  // Copies `inputs` into the instance's inputs, runs it; never fails.
  // skip: inputs not to copy, whose values the instance holds already
  // (graph inputs are never written by its ops), or null.
  static void RunSubgraph(Interpreter& sub, const std::vector<Tensor*>& inputs,
                          const std::vector<bool>* skip = nullptr);
  // Copies the instance's outputs into `outputs` (shapes checked at Prepare),
  // but those in `skip` when given.
  static void CopyOutputs(Interpreter& sub, const std::vector<Tensor*>& outputs,
                          const std::vector<bool>* skip = nullptr);
  // The instance's output tensor k.
  static const Tensor& SubgraphOutput(const Interpreter& sub, size_t k);

 private:
  ModelContext* context_ = nullptr;
  std::vector<std::unique_ptr<Interpreter>> subgraphs_;  // by slot
};

}  // namespace pyrt
