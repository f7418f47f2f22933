#include "interpreter/interpreter.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <queue>

#include "model/builtin_ops.h"
#include "interpreter/arena_planner.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif
#include "interpreter/fusion.h"
#include "core/error.h"

namespace pyrt {
namespace {

// Guard bytes between arena buffers in AddressSanitizer builds: every buffer
// gets its own bytes for the whole run (no sharing between lifetimes) and is
// followed by kArenaGuardBytes of poisoned memory, so a kernel writing or
// reading past a tensor into its neighbour is reported. Other builds plan
// the arena as usual and these do nothing.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kArenaGuardBytes = 64;

std::vector<size_t> AddArenaGuards(std::vector<BufferRequest>* requests, int end) {
  std::vector<size_t> sizes;
  for (BufferRequest& r : *requests) {
    sizes.push_back(r.size);
    r.size += kArenaGuardBytes;
    r.first_use = -1;
    r.last_use = end;
  }
  return sizes;
}

void PoisonArenaGuards(uint8_t* arena, const ArenaPlan& plan, const std::vector<size_t>& sizes) {
  for (size_t r = 0; r < sizes.size(); ++r)
    ASAN_POISON_MEMORY_REGION(arena + plan.offsets[r] + sizes[r], kArenaGuardBytes);
}
#else
std::vector<size_t> AddArenaGuards(std::vector<BufferRequest>*, int) { return {}; }
void PoisonArenaGuards(uint8_t*, const ArenaPlan&, const std::vector<size_t>&) {}
#endif

}  // namespace
namespace {

constexpr size_t kArenaAlignment = 64;

bool IsControlFlowOp(int32_t code) {
  return code == kOpIf || code == kOpWhile || code == kOpCallOnce;
}

std::string TensorLabel(const Tensor& t) { return StrCat("tensor ", t.index, " '", t.name, "'"); }

}  // namespace

void Interpreter::FreeDeleter::operator()(uint8_t* p) const { std::free(p); }

Interpreter::Interpreter(const uint8_t* data, size_t size, InterpreterOptions options)
    : options_(options), model_(ReadModel(data, size)) {
  PYRT_ENSURE(options_.num_threads >= 1 && options_.num_threads <= 256,
              "num_threads must be in [1, 256], got ", options_.num_threads);
  options_.isa = IsaFromEnvironment();
  pool_ = std::make_unique<ThreadPool>(options_.num_threads);
  for (int32_t i : model_.inputs) input_shapes_.push_back(model_.tensors[i].shape);
  CreateOps();
  OrderOps();
  Prepare();
}

Interpreter::~Interpreter() = default;

Tensor& Interpreter::input_tensor(size_t i) { return tensors_[model_.inputs.at(i)]; }

void Interpreter::ResizeInput(size_t i, const Shape& shape) {
  if (i >= input_shapes_.size())
    throw UsageError(StrCat("input ", i, " does not exist (", input_shapes_.size(), " inputs)"));
  const Shape& signature = model_.tensors[model_.inputs[i]].shape_signature;
  if (shape.size() != signature.size())
    throw UsageError(StrCat("input ", i, ": rank ", shape.size(), " given, the model has rank ",
                            signature.size()));
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0 || (signature[d] != -1 && signature[d] != shape[d]))
      throw UsageError(StrCat("input ", i, ": cannot resize to ", ShapeToString(shape),
                              "; the model fixes its shape to ", ShapeToString(signature)));
  }
  input_shapes_[i] = shape;
}

void Interpreter::CreateOps() {
  std::string unsupported;
  size_t count = 0;
  bool control_flow = false, custom = false;
  for (const OpDesc& desc : model_.ops) {
    OpFactory factory = FindOpFactory(desc.builtin_code);
    if (!factory) {
      unsupported += StrCat(count++ ? ", " : "", desc.name, " (op ", desc.index, ")");
      control_flow = control_flow || IsControlFlowOp(desc.builtin_code);
      custom = custom || desc.builtin_code == kOpCustom;
      ops_.push_back(nullptr);
      continue;
    }
    ops_.push_back(factory());
  }
  PYRT_ENSURE(count == 0, "unsupported ops: ", unsupported,
              control_flow ? "; control flow ops (IF, WHILE, CALL_ONCE) run other subgraphs, "
                             "which pyruntime does not support" : "",
              custom ? "; custom ops (CUSTOM(<code>)) are not supported: only builtin ops "
                       "run" : "");
}

// Stable topological sort (Kahn) of the model's ops; TFLite files are normally
// already ordered, in which case the order is kept as is.
void Interpreter::OrderOps() {
  const size_t num_tensors = model_.tensors.size(), num_ops = model_.ops.size();
  std::vector<int> producer(num_tensors, -1);
  std::vector<bool> available(num_tensors, false);
  for (size_t t = 0; t < num_tensors; ++t)
    available[t] = model_.tensors[t].data != nullptr || model_.tensors[t].is_variable;
  for (int32_t t : model_.inputs) available[t] = true;
  for (const OpDesc& op : model_.ops) {
    for (int32_t t : op.outputs) {
      const TensorDesc& td = model_.tensors[t];
      PYRT_ENSURE(producer[t] == -1, "op ", op.index, " (", op.name, "): output tensor ", t, " '",
                  td.name, "' is also written by op ", producer[t]);
      PYRT_ENSURE(!td.is_variable, "op ", op.index, " (", op.name, "): output tensor ", t, " '",
                  td.name, "' is a variable tensor; writing variables is not supported");
      PYRT_ENSURE(!available[t], "op ", op.index, " (", op.name, "): output tensor ", t, " '",
                  td.name, "' is a constant or graph input");
      producer[t] = op.index;
    }
  }
  std::vector<int> missing(num_ops, 0);
  std::vector<std::vector<int>> consumers(num_tensors);
  for (const OpDesc& op : model_.ops) {
    for (int32_t t : op.inputs) {
      if (t < 0 || available[t]) continue;
      PYRT_ENSURE(producer[t] != -1, "op ", op.index, " (", op.name, "): input tensor ", t, " '",
                  model_.tensors[t].name, "' is never written (not a constant, graph input or "
                  "op output)");
      ++missing[op.index];
      consumers[t].push_back(op.index);
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (size_t i = 0; i < num_ops; ++i)
    if (missing[i] == 0) ready.push(static_cast<int>(i));
  std::vector<std::unique_ptr<Op>> ordered;
  std::vector<const OpDesc*> descs;
  while (!ready.empty()) {
    const int i = ready.top();
    ready.pop();
    ordered.push_back(std::move(ops_[i]));
    descs.push_back(&model_.ops[i]);
    for (int32_t t : model_.ops[i].outputs)
      for (int c : consumers[t])
        if (--missing[c] == 0) ready.push(c);
  }
  PYRT_ENSURE(ordered.size() == num_ops, "the graph has a cycle: ", num_ops - ordered.size(),
              " ops wait on each other");
  ops_ = std::move(ordered);
  // Bind each op to its descriptor now; tensors are bound in Prepare.
  for (size_t k = 0; k < ops_.size(); ++k) ops_[k]->Bind(descs[k], {}, {});
}

void Interpreter::Prepare() {
  tensors_.assign(model_.tensors.size(), Tensor());
  for (size_t i = 0; i < tensors_.size(); ++i) {
    const TensorDesc& d = model_.tensors[i];
    Tensor& t = tensors_[i];
    t.index = static_cast<int>(i);
    t.name = d.name;
    t.dtype = d.dtype;
    t.shape = d.shape;
    t.shape_signature = d.shape_signature;
    t.quant = d.quant;
    if (d.data) {
      t.is_constant = true;
      t.data = const_cast<uint8_t*>(d.data);  // never written: constants are read-only
      t.bytes = d.data_size;
    }
  }
  for (size_t i = 0; i < model_.inputs.size(); ++i)
    tensors_[model_.inputs[i]].shape = input_shapes_[i];
  prepared_ = false;
  run_list_.clear();
  PrepareOps();
  PlanMemory();
  prepared_ = true;
}

void Interpreter::PrepareOps() {
  folded_storage_.clear();
  for (auto& op : ops_) {
    const OpDesc& desc = op->desc();
    std::vector<Tensor*> ins, outs;
    for (int32_t t : desc.inputs) ins.push_back(t < 0 ? nullptr : &tensors_[t]);
    for (int32_t t : desc.outputs) outs.push_back(&tensors_[t]);
    op->Bind(&desc, ins, outs);
    op->set_isa(options_.isa);
    try {
      op->Prepare();
    } catch (const ModelError&) {
      throw;
    } catch (const std::exception& e) {
      ThrowModelError(op->label(), ": ", e.what());
    }
    for (Tensor* t : outs) {
      const size_t elem = DTypeSize(t->dtype);
      PYRT_ENSURE(elem != 0, op->label(), ": output ", TensorLabel(*t), " has unsupported type ",
                  DTypeName(t->dtype));
      t->bytes = static_cast<size_t>(t->num_elements()) * elem;
    }
    bool foldable = op->DependsOnlyOnInputShapes();
    if (!foldable) {
      foldable = true;
      for (Tensor* t : ins) foldable = foldable && (!t || t->is_constant);
    }
    if (foldable) FoldOp(*op);
  }
}

// Runs an op whose inputs are known at Prepare time and turns its outputs into
// constants, so shape computations (SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE)
// and constant subgraphs cost nothing at invoke.
void Interpreter::FoldOp(Op& op) {
  std::vector<uint8_t> scratch(op.scratch_bytes());
  for (int32_t i : op.desc().outputs) {
    Tensor& t = tensors_[i];
    folded_storage_.emplace_back(t.bytes);
    t.data = folded_storage_.back().data();
    t.is_constant = true;
  }
  op.Eval(EvalContext{scratch.data(), pool_.get()});
}

void Interpreter::PlanMemory() {
  // Ops still to run at invoke, in order; folded ones have constant outputs.
  std::vector<Op*> live;
  for (auto& op : ops_) {
    bool folded = true;
    for (int32_t t : op->desc().outputs) folded = folded && tensors_[t].is_constant;
    if (!folded) live.push_back(op.get());
  }
  fused_ = FusedOps();
  if (!options_.preserve_all_tensors)
    FuseElementwiseS8(live, tensors_, model_.outputs, options_.isa, &fused_);
  const int end = static_cast<int>(live.size());
  std::vector<int> first(tensors_.size(), end + 1), last(tensors_.size(), -2);
  auto touch = [&](int32_t t, int step) {
    if (t < 0 || tensors_[t].is_constant) return;
    first[t] = std::min(first[t], step);
    last[t] = std::max(last[t], step);
  };
  for (int s = 0; s < end; ++s) {
    const OpDesc& d = live[s]->desc();
    for (int32_t t : d.inputs) touch(t, s);
    for (int32_t t : d.outputs) touch(t, s);
  }
  // Graph inputs and outputs persist across invokes; so does everything when
  // the caller wants to inspect intermediates.
  for (int32_t t : model_.inputs) touch(t, -1), touch(t, end);
  for (int32_t t : model_.outputs) touch(t, -1), touch(t, end);
  if (options_.preserve_all_tensors)
    for (size_t t = 0; t < tensors_.size(); ++t)
      if (last[t] != -2) touch(static_cast<int32_t>(t), -1), touch(static_cast<int32_t>(t), end);

  std::vector<BufferRequest> requests;
  std::vector<int32_t> request_tensor;
  for (size_t t = 0; t < tensors_.size(); ++t) {
    if (last[t] == -2) continue;
    Tensor& tensor = tensors_[t];
    const size_t elem = DTypeSize(tensor.dtype);
    PYRT_ENSURE(elem != 0, TensorLabel(tensor), " has unsupported type ", DTypeName(tensor.dtype));
    tensor.bytes = static_cast<size_t>(tensor.num_elements()) * elem;
    requests.push_back({tensor.bytes, first[t], last[t]});
    request_tensor.push_back(static_cast<int32_t>(t));
  }
  std::vector<int> scratch_request(live.size(), -1);
  for (int s = 0; s < end; ++s) {
    const size_t bytes = live[s]->scratch_bytes();
    if (bytes == 0) continue;
    scratch_request[s] = static_cast<int>(requests.size());
    requests.push_back({bytes, s, s});
  }
  const std::vector<size_t> sizes = AddArenaGuards(&requests, end);
  const ArenaPlan plan = PlanArena(requests, kArenaAlignment);
  arena_bytes_ = plan.total_bytes;
  arena_.reset(static_cast<uint8_t*>(std::aligned_alloc(kArenaAlignment, std::max<size_t>(arena_bytes_, kArenaAlignment))));
  if (!arena_) throw std::bad_alloc();
  std::memset(arena_.get(), 0, arena_bytes_);
  PoisonArenaGuards(arena_.get(), plan, sizes);
  for (size_t r = 0; r < request_tensor.size(); ++r)
    tensors_[request_tensor[r]].data = arena_.get() + plan.offsets[r];

  run_list_.clear();
  profile_.clear();
  for (int s = 0; s < end; ++s) {
    const int r = scratch_request[s];
    run_list_.push_back({live[s], r < 0 ? size_t{0} : plan.offsets[r]});
    profile_.push_back({live[s]->desc().index, live[s]->desc().name, 0.0});
  }
}

void Interpreter::Invoke() {
  if (options_.profile) return InvokeProfiled();
  for (const Step& step : run_list_)
    step.op->Eval(EvalContext{arena_.get() + step.scratch_offset, pool_.get()});
}

void Interpreter::InvokeProfiled() {
  using Clock = std::chrono::steady_clock;
  for (size_t s = 0; s < run_list_.size(); ++s) {
    const Step& step = run_list_[s];
    const Clock::time_point start = Clock::now();
    step.op->Eval(EvalContext{arena_.get() + step.scratch_offset, pool_.get()});
    profile_[s].seconds = std::chrono::duration<double>(Clock::now() - start).count();
  }
}

}  // namespace pyrt
