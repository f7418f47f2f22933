#include "interpreter/interpreter.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <queue>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "interpreter/arena_planner.h"
#include "model/builtin_ops.h"
#include "ops/hybrid_common.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif
#include "interpreter/channel_table_fusion.h"
#include "interpreter/conv_f32_fusion.h"
#include "interpreter/fusion.h"
#include "core/error.h"
#include "ops/context_op.h"

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

std::string TensorLabel(const Tensor& t) { return StrCat("tensor ", t.index, " '", t.name, "'"); }

// Asks Linux for 2 MB pages over the arena's whole 2 MB-aligned stretches
// (transparent huge pages in "madvise" mode, the common default). An invoke
// after other work had evicted the caches walked a page table per 4 KB of
// activations: float MobileNetV2 1-5% slower then. A hint only.
void AdviseHugePages(void* block, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(block) + kHuge - 1) / kHuge * kHuge;
  const uintptr_t end = (reinterpret_cast<uintptr_t>(block) + bytes) / kHuge * kHuge;
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)block, (void)bytes;
#endif
}

}  // namespace

void Interpreter::FreeDeleter::operator()(void* p) const { std::free(p); }

Interpreter::Interpreter(const uint8_t* data, size_t size, InterpreterOptions options)
    : options_(options), model_(ReadModel(data, size, options.subgraph)) {
  PYRT_ENSURE(options_.num_threads >= 1 && options_.num_threads <= 256,
              "num_threads must be in [1, 256], got ", options_.num_threads);
  options_.isa = IsaFromEnvironment();
  pool_ = ThreadPool::Shared(options_.num_threads);
  owned_context_.reset(new ModelContext{&model_, options_, pool_.get(),
                                        ResourceStore(model_.num_subgraphs), {}});
  context_ = owned_context_.get();
  for (int32_t i : model_.inputs) input_shapes_.push_back(model_.tensors[i].shape);
  CreateOps();
  OrderOps();
  Prepare();
}

Interpreter::Interpreter(ModelContext* context, int subgraph,
                         const std::vector<Shape>& input_shapes)
    : options_(context->options), context_(context) {
  const SubgraphDesc& sub = context->model->subgraphs.at(subgraph);
  if (!sub.error.empty()) throw ModelError(sub.error);
  model_.version = context->model->version;
  model_.num_subgraphs = context->model->num_subgraphs;
  model_.tensors = sub.tensors;
  model_.inputs = sub.inputs;
  model_.outputs = sub.outputs;
  model_.ops = sub.ops;
  input_shapes_ = input_shapes;
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
  bool custom = false;
  for (const OpDesc& desc : model_.ops) {
    OpFactory factory = FindOpFactory(desc.builtin_code);
    if (!factory) {
      unsupported += StrCat(count++ ? ", " : "", desc.name, " (op ", desc.index, ")");
      custom = custom || desc.builtin_code == kOpCustom;
      ops_.push_back(nullptr);
      continue;
    }
    ops_.push_back(factory());
    if (auto* op = dynamic_cast<ContextOp*>(ops_.back().get())) op->set_context(context_);
  }
  PYRT_ENSURE(count == 0, "unsupported ops: ", unsupported,
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
  known_values_.clear();
  PrepareWithKnownValues();
}

void Interpreter::PrepareWithKnownValues() {
  tensors_.assign(model_.tensors.size(), Tensor());
  aligned_constants_.clear();
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
      // Kernels read constants as typed arrays; a buffer the file placed off
      // its element alignment (the format does not promise it) gets an
      // aligned copy, so no kernel ever loads a misaligned int64 or float.
      const size_t align = std::min<size_t>(std::max<size_t>(DTypeSize(d.dtype), 1), 8);
      if (reinterpret_cast<uintptr_t>(d.data) % align != 0) {
        aligned_constants_.emplace_back((d.data_size + 7) / 8);
        std::memcpy(aligned_constants_.back().data(), d.data, d.data_size);
        t.data = reinterpret_cast<uint8_t*>(aligned_constants_.back().data());
      }
    }
  }
  for (size_t i = 0; i < model_.inputs.size(); ++i)
    tensors_[model_.inputs[i]].shape = input_shapes_[i];
  for (auto& [index, value] : known_values_) {
    Tensor& t = tensors_[index];
    t.value_known = true;
    t.shape = value.shape;
    t.data = value.bytes.data();  // read by Prepare only; PlanMemory gives the arena place
  }
  prepared_ = false;
  run_list_.clear();
  PrepareOps();
  PlanMemory();
  prepared_ = true;
}

bool Interpreter::HasHybridOps() const {
  for (const auto& op : ops_) {
    if (!op) continue;
    const OpDesc& d = op->desc();
    const bool weighted = d.builtin_code == kOpConv2D || d.builtin_code == kOpDepthwiseConv2D ||
                          d.builtin_code == kOpFullyConnected;
    if (!weighted || d.inputs.size() < 2 || d.inputs[0] < 0 || d.inputs[1] < 0) continue;
    if (IsHybridNode(tensors_[d.inputs[0]], &tensors_[d.inputs[1]])) return true;
  }
  return false;
}

void Interpreter::PrepareOps() {
  folded_storage_.clear();
  stop_ = ops_.size();
  const bool has_hybrid_ops = HasHybridOps();
  for (size_t k = 0; k < ops_.size(); ++k) {
    auto& op = ops_[k];
    const OpDesc& desc = op->desc();
    std::vector<Tensor*> ins, outs;
    for (int32_t t : desc.inputs) ins.push_back(t < 0 ? nullptr : &tensors_[t]);
    for (int32_t t : desc.outputs) outs.push_back(&tensors_[t]);
    op->Bind(&desc, ins, outs);
    op->set_isa(options_.isa);
    op->set_builtin_float_rounding(has_hybrid_ops);
    try {
      op->Prepare();
    } catch (const ValueNeeded& e) {
      // The op needs a value computed at invoke: plan up to here.
      const Tensor& t = tensors_[e.tensor];
      if (t.is_constant || t.value_known) throw;
      value_tensors_.insert(e.tensor);
      stop_ = k;
      return;
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
    bool foldable = op->DependsOnlyOnInputShapes() && !op->HasSideEffects();
    if (!foldable) {
      foldable = !op->HasSideEffects();
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
  op.Eval(EvalContext{scratch.data(), context_->pool});
}

void Interpreter::PlanMemory() {
  // Ops still to run at invoke, in order; folded ones have constant outputs.
  std::vector<Op*> live;
  std::vector<size_t> order;
  for (size_t k = 0; k < stop_; ++k) {
    bool folded = !ops_[k]->HasSideEffects();
    for (int32_t t : ops_[k]->desc().outputs) folded = folded && tensors_[t].is_constant;
    if (!folded) live.push_back(ops_[k].get()), order.push_back(k);
  }
  fused_ = FusedOps();
  // Fusion could merge ops on both sides of a re-plan point: not for dynamic models.
  if (!options_.preserve_all_tensors && !dynamic()) {
    FuseElementwiseS8(live, tensors_, model_.outputs, options_.isa, &fused_);
    FuseChannelTablesS8(live, tensors_, model_.outputs, options_.isa, &fused_);
    // Float convs not where float ops must round as LiteRT's builtin kernels do.
    FusePadIntoConv(live, tensors_, model_.outputs, !HasHybridOps(), options_.isa, &fused_);
    if (!HasHybridOps()) {
      FuseEpilogueIntoConvF32(live, tensors_, model_.outputs, options_.isa, &fused_);
      FuseConvIntoDepthwiseF32(live, tensors_, model_.outputs, context_->pool->num_threads(),
                               options_.isa, &fused_);
    }
    FuseClampIntoBinaryF32(live, tensors_, model_.outputs, options_.isa, &fused_);
  }
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
  const bool partial = stop_ < ops_.size();
  for (int32_t t : model_.outputs)
    if (!partial || last[t] != -2) touch(t, -1), touch(t, end);
  // Variable tensors (recurrent states) keep their values between invokes.
  for (size_t t = 0; t < tensors_.size(); ++t)
    if (model_.tensors[t].is_variable && last[t] != -2)
      touch(static_cast<int32_t>(t), -1), touch(static_cast<int32_t>(t), end);
  // A partial plan keeps everything it computes for the ops planned later.
  if (options_.preserve_all_tensors || partial)
    for (size_t t = 0; t < tensors_.size(); ++t)
      if (last[t] != -2) touch(static_cast<int32_t>(t), -1), touch(static_cast<int32_t>(t), end);

  // In a dynamic graph an op that reads a computed value (a SLICE's begin
  // from a loop counter) gets room for its largest computed input, so that
  // new values usually fit in place (ReprepareInPlace).
  room_.assign(tensors_.size(), 0);
  for (size_t t = 0; t < tensors_.size(); ++t)
    room_[t] = static_cast<size_t>(tensors_[t].num_elements()) * DTypeSize(tensors_[t].dtype);
  if (dynamic()) {
    for (const Op* op : live) {
      const OpDesc& d = op->desc();
      size_t largest_input = 0;
      bool reads_value = false;
      for (int32_t t : d.inputs) {
        if (t < 0 || tensors_[t].is_constant) continue;
        reads_value = reads_value || known_values_.count(t) > 0;
        largest_input = std::max(largest_input, room_[t]);
      }
      if (reads_value)
        for (int32_t t : d.outputs) room_[t] = std::max(room_[t], largest_input);
    }
  }
  read_by_folded_.assign(tensors_.size(), false);
  if (dynamic()) {
    std::vector<bool> runs(stop_, false);
    for (size_t k : order) runs[k] = true;
    for (size_t k = 0; k < stop_; ++k) {
      if (runs[k]) continue;
      for (int32_t t : ops_[k]->desc().inputs)
        if (t >= 0) read_by_folded_[t] = true;
    }
  }
  std::vector<BufferRequest> requests;
  std::vector<int32_t> request_tensor;
  for (size_t t = 0; t < tensors_.size(); ++t) {
    if (last[t] == -2) {
      room_[t] = 0;
      continue;
    }
    Tensor& tensor = tensors_[t];
    const size_t elem = DTypeSize(tensor.dtype);
    PYRT_ENSURE(elem != 0, TensorLabel(tensor), " has unsupported type ", DTypeName(tensor.dtype));
    tensor.bytes = static_cast<size_t>(tensor.num_elements()) * elem;
    requests.push_back({room_[t], first[t], last[t]});
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
  // Zeroed by calloc, not memset: a large block comes as fresh pages that
  // read as zero without being written, so loading faults none of them in
  // (a memset did, for every page of the arena).
  arena_block_.reset(std::calloc(arena_bytes_ + kArenaAlignment, 1));
  if (!arena_block_) throw std::bad_alloc();
  const uintptr_t block = reinterpret_cast<uintptr_t>(arena_block_.get());
  arena_ = reinterpret_cast<uint8_t*>((block + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment);
  AdviseHugePages(arena_block_.get(), arena_bytes_ + kArenaAlignment);
  PoisonArenaGuards(arena_, plan, sizes);
  for (size_t r = 0; r < request_tensor.size(); ++r)
    tensors_[request_tensor[r]].data = arena_ + plan.offsets[r];

  ResetVariableTensors();
  run_list_.clear();
  profile_.clear();
  step_checks_.clear();
  stale_from_ = static_cast<size_t>(-1);
  reshaped_.assign(tensors_.size(), false);
  for (int s = 0; s < end; ++s) {
    const int r = scratch_request[s];
    run_list_.push_back({live[s], r < 0 ? size_t{0} : plan.offsets[r], order[s],
                         r < 0 ? size_t{0} : live[s]->scratch_bytes()});
    profile_.push_back({live[s]->desc().index, live[s]->desc().name, 0.0});
    if (!dynamic()) continue;
    step_checks_.emplace_back();
    for (int32_t t : live[s]->desc().inputs)
      if (t >= 0 && known_values_.count(t)) step_checks_.back().push_back(t);
  }
}

void Interpreter::Invoke() {
  if (dynamic()) return InvokeDynamic();
  if (options_.profile) return InvokeProfiled();
  for (const Step& step : run_list_)
    step.op->Eval(EvalContext{arena_ + step.scratch_offset, context_->pool});
}

void Interpreter::InvokeProfiled() {
  using Clock = std::chrono::steady_clock;
  for (size_t s = 0; s < run_list_.size(); ++s) {
    const Step& step = run_list_[s];
    const Clock::time_point start = Clock::now();
    step.op->Eval(EvalContext{arena_ + step.scratch_offset, context_->pool});
    profile_[s].seconds = std::chrono::duration<double>(Clock::now() - start).count();
  }
}

// Runs the plan; at each op prepared with a computed value, checks that the
// value is still the same, and at a changed value or at the end of a partial
// plan re-plans and goes on from there.
void Interpreter::InvokeDynamic() {
  if (!prepared_) return;
  using Clock = std::chrono::steady_clock;
  size_t s = 0;
  for (;;) {
    if (s == run_list_.size()) {
      if (stop_ == ops_.size()) break;
      s = Replan(s);
      continue;
    }
    if (s == stale_from_ || !KnownValuesUnchanged(s)) {
      s = Replan(s);
      continue;
    }
    const Step& step = run_list_[s];
    const Clock::time_point start = options_.profile ? Clock::now() : Clock::time_point();
    step.op->Eval(EvalContext{arena_ + step.scratch_offset, context_->pool});
    if (options_.profile)
      profile_[s].seconds = std::chrono::duration<double>(Clock::now() - start).count();
    ++s;
  }
}

bool Interpreter::KnownValuesUnchanged(size_t step) const {
  for (int32_t index : step_checks_[step]) {
    const Tensor& t = tensors_[index];
    const KnownValue& v = known_values_.at(index);
    if (t.shape != v.shape || t.bytes != v.bytes.size() ||
        (t.bytes && std::memcmp(t.data, v.bytes.data(), t.bytes) != 0))
      return false;
  }
  return true;
}

// A re-plan at step `step` that keeps the arena and the run list: prepares
// the ops from `step` on again, with the values computed so far, up to the
// first op that reads a value one of them computes (that op's turn comes
// when it is reached: stale_from_, reshaped_). Ops whose inputs kept their
// shapes and values are not touched. False, for the full re-plan, when the plan cannot
// hold the change: an output outgrowing its arena place or scratch, a new
// value needed, an op now foldable, a shape change a folded op reads.
bool Interpreter::ReprepareInPlace(size_t step) {
  if (stop_ != ops_.size() || step >= run_list_.size()) return false;
  std::vector<bool> computed_here(tensors_.size(), false);
  size_t s = step;
  for (; s < run_list_.size(); ++s) {
    const std::vector<int32_t>& checks = step_checks_[s];
    if (std::any_of(checks.begin(), checks.end(), [&](int32_t t) { return computed_here[t]; }))
      break;  // its value is not computed yet (its run-time check would re-plan again)
    const OpDesc& d = run_list_[s].op->desc();
    bool stale = s == step || s == stale_from_ || !KnownValuesUnchanged(s);
    for (int32_t t : d.inputs) stale = stale || (t >= 0 && reshaped_[t]);
    if (stale && !ReprepareStep(s)) return false;
    for (int32_t t : d.outputs) computed_here[t] = true;
  }
  if (s < run_list_.size()) {
    stale_from_ = s;
  } else {
    stale_from_ = static_cast<size_t>(-1);
    std::fill(reshaped_.begin(), reshaped_.end(), false);
  }
  return true;
}

// ReprepareInPlace's work on one step; marks the outputs whose shape changed.
bool Interpreter::ReprepareStep(size_t s) {
  Op& op = *run_list_[s].op;
  const OpDesc& d = op.desc();
  std::vector<Shape> before;
  for (int32_t t : d.outputs) before.push_back(tensors_[t].shape);
  try {
    op.Prepare();
  } catch (const std::exception&) {
    return false;  // a value it newly needs, or an error the full re-plan reports
  }
  if (op.scratch_bytes() > run_list_[s].scratch_room) return false;
  if (!op.HasSideEffects() && op.DependsOnlyOnInputShapes()) return false;  // now folds
  for (size_t j = 0; j < d.outputs.size(); ++j) {
    Tensor& t = tensors_[d.outputs[j]];
    const size_t bytes = static_cast<size_t>(t.num_elements()) * DTypeSize(t.dtype);
    if (bytes > room_[t.index]) return false;
    t.bytes = bytes;
    if (t.shape == before[j]) continue;
    if (read_by_folded_[t.index]) return false;
    reshaped_[t.index] = true;
  }
  for (int32_t t : step_checks_[s]) {
    const Tensor& v = tensors_[t];
    known_values_[t] = KnownValue{v.shape, std::vector<uint8_t>(v.data, v.data + v.bytes)};
  }
  return true;
}

// Prepares and plans again with the values of every value tensor computed
// before step `step` (graph inputs and outputs of the steps already run),
// whose bytes are carried over to the new arena. Returns the step to go on
// from. The ops already run are prepared exactly as before (same shapes,
// same values), so they keep their place in the new plan.
size_t Interpreter::Replan(size_t step) {
  if (ReprepareInPlace(step)) return step;
  stale_from_ = static_cast<size_t>(-1);
  std::vector<int32_t> computed(model_.inputs.begin(), model_.inputs.end());
  for (size_t s = 0; s < step; ++s)
    for (int32_t t : run_list_[s].op->desc().outputs) computed.push_back(t);
  // Variable tensors (recurrent states) carry over too: a re-plan is no reset.
  for (size_t t = 0; t < tensors_.size(); ++t)
    if (model_.tensors[t].is_variable && tensors_[t].data && !tensors_[t].is_constant)
      computed.push_back(static_cast<int32_t>(t));
  const size_t resume_order = step < run_list_.size() ? run_list_[step].order : stop_;
  std::vector<std::vector<uint8_t>> saved;
  for (int32_t t : computed) {
    const Tensor& tensor = tensors_[t];
    saved.emplace_back(tensor.data, tensor.data + (tensor.data ? tensor.bytes : 0));
  }
  // An op may reveal one more value input per Prepare: repeat while they come.
  for (;;) {
    const size_t discovered = value_tensors_.size();
    known_values_.clear();
    for (size_t i = 0; i < computed.size(); ++i) {
      const int32_t t = computed[i];
      if (value_tensors_.count(t)) known_values_[t] = KnownValue{tensors_[t].shape, saved[i]};
    }
    try {
      PrepareWithKnownValues();
    } catch (...) {
      Prepare();  // back to the plan made at load, then report
      throw;
    }
    if (stop_ == ops_.size() || stop_ > resume_order) break;
    if (value_tensors_.size() == discovered) {
      const std::string label = ops_[stop_]->label();
      Prepare();
      ThrowModelError(label, ": a shape input it reads is not computed before it");
    }
  }
  for (size_t i = 0; i < computed.size(); ++i) {
    Tensor& t = tensors_[computed[i]];
    const size_t n = std::min(t.bytes, saved[i].size());
    if (t.data && !t.is_constant && n > 0) std::memcpy(t.data, saved[i].data(), n);
  }
  size_t s = 0;
  while (s < run_list_.size() && run_list_[s].order < resume_order) ++s;
  return s;
}

}  // namespace pyrt

namespace pyrt {

// As TFLite's ResetVariableTensor: int8 variables hold their zero point, all
// others zero bytes.
void Interpreter::ResetVariableTensors() {
  for (size_t i = 0; i < tensors_.size(); ++i) {
    Tensor& t = tensors_[i];
    if (!model_.tensors[i].is_variable || !t.data || t.is_constant) continue;
    const int value = t.dtype == DType::kInt8 ? t.zero_point() : 0;
    std::memset(t.data, value, t.bytes);
  }
}

void Interpreter::ResetVariables(bool resource_variables) {
  if (!prepared_) return;
  ResetVariableTensors();
  for (auto& op : ops_)
    if (auto* c = dynamic_cast<ContextOp*>(op.get())) c->ResetState();
  if (owned_context_ && resource_variables) owned_context_->resources.ResetAll();
}

}  // namespace pyrt
