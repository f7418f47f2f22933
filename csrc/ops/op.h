// The interface every builtin op implements.
//
// An op is created per model node. Prepare sees the node's tensors with their
// final shapes of inputs, validates everything the op relies on, sets output
// shapes and precomputes (multipliers, folded bias, packed weights, scratch
// size). Eval does arithmetic only: it never allocates and never fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kernels/isa.h"
#include "model/model.h"
#include "core/error.h"
#include "core/tensor.h"

namespace pyrt {

class ThreadPool;

struct EvalContext {
  uint8_t* scratch = nullptr;  // the op's scratch area (size declared in Prepare)
  // Splits work across num_threads; tasks must write disjoint outputs and
  // give identical results for any split. Scratch is shared: an op that
  // parallelizes declares scratch per thread (scratch_bytes covers all).
  ThreadPool* pool = nullptr;
};

class Op {
 public:
  virtual ~Op() = default;

  // Wires the op to its tensors; `inputs` holds nullptr for omitted optional
  // inputs. Tensor objects outlive the op; their data pointers are only final
  // at Eval time, so ops must not cache data pointers in Prepare except for
  // constant tensors.
  void Bind(const OpDesc* desc, std::vector<Tensor*> inputs, std::vector<Tensor*> outputs);

  virtual void Prepare() = 0;
  virtual void Eval(const EvalContext& ctx) = 0;

  // True when outputs depend only on the input shapes (SHAPE), so the op can
  // be folded to a constant even when its input data is not known.
  virtual bool DependsOnlyOnInputShapes() const { return false; }

  // True for ops that read or write state beyond their tensors (resource
  // variables, other subgraphs): never folded, always run.
  virtual bool HasSideEffects() const { return false; }

  // For fusing elementwise chains into one table (interpreter/fusion.h), after
  // Prepare. An op whose int8 output is a function of one int8 input value
  // returns its table (lut[uint8(v)] = output for v); others nullptr.
  virtual const int8_t* UnaryLutS8() const { return nullptr; }
  // An int8 elementwise binary op computes one output from input values a
  // (input 0) and b (input 1) and returns true; others return false.
  virtual bool EvalScalarS8(int8_t a, int8_t b, int8_t* out) const { return false; }

  // The op doing the work: itself, or the version a dispatcher picked
  // (ops/dtype_dispatch.h); fusion looks at its kernels.
  virtual const Op& implementation() const { return *this; }

  // Kernel path for this op's kernels, set by the interpreter before Prepare.
  // Ops pass it to kernel factories and never branch on it themselves.
  void set_isa(Isa isa) { isa_ = isa; }
  // In models with hybrid (dynamic-range) ops, float ops feed the hybrid
  // ops' on-the-fly quantization, which is matched bit for bit with LiteRT's
  // builtin kernels: there float kernels must round as those do (multiply,
  // then add; the reference twin's roundings on any path), not with FMA.
  void set_builtin_float_rounding(bool on) { builtin_float_rounding_ = on; }

  size_t scratch_bytes() const { return scratch_bytes_; }
  const OpDesc& desc() const { return *desc_; }
  // "op 12 (CONV_2D)": prefix for every error message about this op.
  const std::string& label() const { return label_; }

 protected:
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  int num_outputs() const { return static_cast<int>(outputs_.size()); }
  // Present input i; throws if the model omitted it or has fewer inputs.
  Tensor& input(int i) const;
  // Input i or nullptr when omitted or beyond the inputs the model gave.
  Tensor* optional_input(int i) const;
  Tensor& output(int i) const;
  void RequireInputCount(int min, int max) const;
  void RequireOutputCount(int n) const;
  void RequireType(const Tensor& t, DType type, const char* role) const;
  // Asserts per-tensor quantization with scale > 0 and an in-range zero point.
  void RequirePerTensorQuant(const Tensor& t, const char* role) const;
  Isa isa() const { return isa_; }
  bool builtin_float_rounding() const { return builtin_float_rounding_; }
  // The tensors given to Bind, for ops that forward to another op.
  const std::vector<Tensor*>& bound_inputs() const { return inputs_; }
  const std::vector<Tensor*>& bound_outputs() const { return outputs_; }
  // Options of the expected kind; the model layer fills defaults when absent.
  template <typename T> const T& options() const { return std::get<T>(desc_->options); }
  // Sets a computed output shape (overflow-checked), as TFLite resizes outputs.
  void SetOutputShape(Tensor& t, Shape shape) const;

  size_t scratch_bytes_ = 0;

 private:
  const OpDesc* desc_ = nullptr;
  Isa isa_ = Isa::kReference;
  bool builtin_float_rounding_ = false;
  std::string label_;
  std::vector<Tensor*> inputs_;
  std::vector<Tensor*> outputs_;
};

// For a shape input whose bytes Prepare reads (RESHAPE's shape, PAD's
// paddings, ...): throws ValueNeeded, saying the `role` input must be
// constant, unless the bytes are known (a constant, or a value computed at
// invoke and given to this Prepare; Interpreter::InvokeDynamic).
void RequireValue(const Tensor& t, const std::string& what, const char* role);

using OpFactory = std::unique_ptr<Op> (*)();

// Factory for a builtin code, or nullptr when pyruntime has no such op.
OpFactory FindOpFactory(int32_t builtin_code);

}  // namespace pyrt
