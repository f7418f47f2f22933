// Turns a ModelDesc into a runnable plan and runs it.
//
// Construction reads and validates the model, creates one Op per node (all
// unsupported ops are reported together), orders them topologically, prepares
// them (shape inference, quantization parameters, weight packing), folds ops
// whose inputs are all constant, and plans one arena for every other tensor.
// Invoke then only runs the prepared ops in order.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/isa.h"
#include "model/model.h"
#include "ops/op.h"
#include "interpreter/fusion.h"
#include "interpreter/op_profile.h"
#include "core/tensor.h"
#include "core/thread_pool.h"

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
};

class Interpreter {
 public:
  // `data` must stay valid and unchanged for the interpreter's lifetime:
  // constant tensors are views into it.
  Interpreter(const uint8_t* data, size_t size, InterpreterOptions options);
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
  // Re-runs shape inference and planning after ResizeInput. If it throws,
  // the interpreter is unprepared until a later Prepare() succeeds.
  void Prepare();
  bool prepared() const { return prepared_; }

  // Runs every op once. Never throws; does nothing when not prepared.
  void Invoke();

  // Turns per-op timing on or off for later invokes.
  void SetProfiling(bool on) { options_.profile = on; }
  // Durations of each op in the latest profiled invoke (zeros before one).
  const OpProfile& op_profile() const { return profile_; }

 private:
  void CreateOps();
  void OrderOps();
  void PrepareOps();
  void PlanMemory();
  void FoldOp(Op& op);
  void InvokeProfiled();

  InterpreterOptions options_;
  ModelDesc model_;
  std::unique_ptr<ThreadPool> pool_;
  std::vector<Tensor> tensors_;
  std::vector<Shape> input_shapes_;  // current shapes of the graph inputs
  std::vector<std::unique_ptr<Op>> ops_;  // every op, in execution order
  struct Step {
    Op* op;
    size_t scratch_offset;  // into the arena
  };
  FusedOps fused_;              // ops made by the fusion pass
  std::vector<Step> run_list_;  // ops_ minus those folded at Prepare, fused
  OpProfile profile_;           // parallel to run_list_
  std::vector<std::vector<uint8_t>> folded_storage_;
  struct FreeDeleter { void operator()(uint8_t* p) const; };
  std::unique_ptr<uint8_t, FreeDeleter> arena_;
  size_t arena_bytes_ = 0;
  bool prepared_ = false;
};

}  // namespace pyrt
