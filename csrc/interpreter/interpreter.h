// Turns a ModelDesc into a runnable plan and runs it.
//
// Construction reads and validates the model, creates one Op per node (all
// unsupported ops are reported together), orders them topologically, prepares
// them (shape inference, quantization parameters, weight packing), folds ops
// whose inputs are all constant, and plans one arena for every other tensor.
// Invoke then only runs the prepared ops in order.
//
// Dynamic shapes: an op whose output shape depends on the value of a tensor
// computed at invoke (RESHAPE's shape, STRIDED_SLICE's end, PAD's paddings,
// ... fed by other ops or graph inputs) cannot be planned at load. Planning
// then stops before that op; Invoke runs the planned ops, and at the stop
// takes the value, prepares and plans everything again with it (keeping the
// tensors already computed) and goes on. The next invokes compare the value
// with the one the plan was made for and re-plan only when it changed.
// Such a re-plan first tries to keep the plan (ReprepareInPlace): only the
// ops from there on are prepared again, as long as every tensor still fits
// its place in the arena (a SLICE whose begin comes from a loop counter, in
// Keras 3 RNN loop bodies, is planned with room for its whole input). Models
// without such ops never take this path: their invoke allocates nothing.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "kernels/isa.h"
#include "model/model.h"
#include "ops/op.h"
#include "core/resources.h"
#include "core/tensor.h"
#include "core/thread_pool.h"
#include "interpreter/fusion.h"
#include "interpreter/op_profile.h"

namespace pyrt {

struct InterpreterOptions {
  int num_threads = 1;
  // Give every tensor its own arena range so intermediates stay readable.
  bool preserve_all_tensors = false;
  // Kernel path; the constructor resolves it from PYRUNTIME_ISA (best
  // available when unset) and throws UsageError if the CPU lacks it.
  Isa isa = Isa::kReference;
  // Time every op at invoke (see op_profile.h); also SetProfiling().
  bool profile = false;
  // The subgraph to run (a signature's subgraph; 0 is the main graph).
  uint32_t subgraph = 0;
};

// What every subgraph instance of one model shares: the model, the options,
// the thread pool and the resource variables. Owned by the interpreter of
// the top-level interpreter (the subgraph it runs: options.subgraph); the instances that control-flow ops run (ops/context_op.h)
// point to it.
struct ModelContext {
  const ModelDesc* model;
  InterpreterOptions options;
  ThreadPool* pool;
  ResourceStore resources;
  std::vector<int> building;  // subgraphs whose instances are being built (recursion guard)
  int instances = 0;          // subgraph instances built so far (bounded: see context_op.cc)
};

class Interpreter {
 public:
  // `data` must stay valid and unchanged for the interpreter's lifetime:
  // constant tensors are views into it.
  Interpreter(const uint8_t* data, size_t size, InterpreterOptions options);
  // An instance of subgraph `subgraph` of the context's model, for an op that
  // runs it, planned for the given input shapes.
  Interpreter(ModelContext* context, int subgraph, const std::vector<Shape>& input_shapes);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  const ModelDesc& model() const { return model_; }
  const std::vector<Tensor>& tensors() const { return tensors_; }
  const std::vector<int32_t>& inputs() const { return model_.inputs; }
  const std::vector<int32_t>& outputs() const { return model_.outputs; }
  size_t arena_bytes() const { return arena_bytes_; }
  // Ops that run at invoke (ops folded to constants at Prepare excluded,
  // fused chains counted once).
  size_t num_ops() const { return run_list_.size(); }
  const InterpreterOptions& options() const { return options_; }

  // Mutable access to a graph input's bytes (for copying data in).
  Tensor& input_tensor(size_t i);

  // Changes the shape of graph input i; takes effect at the next Prepare().
  void ResizeInput(size_t i, const Shape& shape);
  // Sets input i's shape as the calling op gives it (no signature check).
  void SetSubgraphInputShape(size_t i, const Shape& shape) { input_shapes_.at(i) = shape; }
  // TFLite's ResetVariableTensors: variable tensors (recurrent states) to
  // zero (int8: their zero point) here and in every subgraph instance.
  // Resource variables keep their values, as in LiteRT, unless
  // `resource_variables`: then they are forgotten and the CALL_ONCE init
  // subgraphs run again at the next invoke (the model's initial state).
  void ResetVariables(bool resource_variables = false);
  // Re-runs shape inference and planning after ResizeInput. If it throws,
  // the interpreter is unprepared until a later Prepare() succeeds.
  void Prepare();
  // True when some op's output shape depends on values computed at invoke.
  bool dynamic() const { return !value_tensors_.empty(); }
  bool prepared() const { return prepared_; }

  // Runs every op once; does nothing when not prepared. Throws ModelError
  // only for a dynamic model whose computed shape input is invalid (for
  // example a RESHAPE to a shape of another size); the interpreter is then
  // prepared as after loading.
  void Invoke();

  // Turns per-op timing on or off for later invokes.
  void SetProfiling(bool on) { options_.profile = on; }
  // Durations of each op in the latest profiled invoke (zeros before one).
  const OpProfile& op_profile() const { return profile_; }

 private:
  void CreateOps();
  void OrderOps();
  void PrepareOps();
  // True when a CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED is hybrid.
  bool HasHybridOps() const;
  void PlanMemory();
  void FoldOp(Op& op);
  void InvokeProfiled();
  void ResetVariableTensors();
  void PrepareWithKnownValues();
  void InvokeDynamic();
  bool KnownValuesUnchanged(size_t step) const;
  size_t Replan(size_t step);
  bool ReprepareInPlace(size_t step);
  bool ReprepareStep(size_t step);

  InterpreterOptions options_;
  ModelDesc model_;
  std::shared_ptr<ThreadPool> pool_;            // subgraph 0 only; ThreadPool::Shared
  std::unique_ptr<ModelContext> owned_context_;  // subgraph 0 only
  ModelContext* context_ = nullptr;
  std::vector<Tensor> tensors_;
  std::vector<Shape> input_shapes_;  // current shapes of the graph inputs
  std::vector<std::unique_ptr<Op>> ops_;  // every op, in execution order
  struct Step {
    Op* op;
    size_t scratch_offset;  // into the arena
    size_t order;           // position of op in ops_
    size_t scratch_room;    // bytes planned at scratch_offset
  };
  FusedOps fused_;              // ops made by the fusion pass
  std::vector<Step> run_list_;  // ops_ minus those folded at Prepare, fused
  OpProfile profile_;           // parallel to run_list_
  std::vector<std::vector<uint8_t>> folded_storage_;
  // Aligned copies of constants the file stored off their alignment.
  std::vector<std::vector<uint64_t>> aligned_constants_;
  struct FreeDeleter { void operator()(void* p) const; };
  std::unique_ptr<void, FreeDeleter> arena_block_;  // calloc'ed; arena_ lies inside, aligned
  uint8_t* arena_ = nullptr;
  size_t arena_bytes_ = 0;
  bool prepared_ = false;

  // Dynamic shapes (see the top of this file).
  struct KnownValue {
    Shape shape;
    std::vector<uint8_t> bytes;
  };
  std::set<int32_t> value_tensors_;  // computed tensors whose values ops read in Prepare
  std::map<int32_t, KnownValue> known_values_;  // the values the current plan was made for
  size_t stop_ = 0;  // ops_[stop_] and later are not prepared (== ops_.size() when all are)
  // Per step of run_list_: the known values its op was prepared with, checked
  // before it runs.
  std::vector<std::vector<int32_t>> step_checks_;
  // Per tensor: the bytes its arena place holds (0: none), and whether an
  // op folded at Prepare reads it (its shape then must not change).
  std::vector<size_t> room_;
  std::vector<bool> read_by_folded_;
  // The first step whose op was prepared before an in-place re-plan changed
  // what it reads: re-planned when reached (npos: none); and the tensors
  // whose shapes that re-plan changed (their readers are prepared again).
  size_t stale_from_ = static_cast<size_t>(-1);
  std::vector<bool> reshaped_;
};

}  // namespace pyrt
