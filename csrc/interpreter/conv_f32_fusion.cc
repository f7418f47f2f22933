#include "interpreter/conv_f32_fusion.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include "kernels/reference/conv_f32.h"
#include "model/builtin_ops.h"
#include "ops/activation_range.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

bool IsFloat(const std::vector<Tensor>& tensors, int32_t t) {
  return t >= 0 && tensors[t].dtype == DType::kFloat32;
}

// The RELU family's clamp (ops/unary_f32.cc), or false.
bool ReluClamp(int builtin_code, float* lo, float* hi) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  if (builtin_code == kOpRelu) return *lo = 0.f, *hi = kInf, true;
  if (builtin_code == kOpRelu6) return *lo = 0.f, *hi = 6.f, true;
  if (builtin_code == kOpReluN1To1) return *lo = -1.f, *hi = 1.f, true;
  return false;
}

// Whether `act` (RELU family, HARD_SWISH or PRELU with constant slopes
// along the last axis of `x`) applies to float tensor x alone; fills the
// epilogue's activation and the slopes tensor.
bool TakeActivation(const OpDesc& act, const std::vector<Tensor>& tensors, int32_t x,
                    ConvF32Epilogue* e, int32_t* alpha) {
  if (act.outputs.size() != 1 || !IsFloat(tensors, act.outputs[0]) || act.inputs.empty() ||
      act.inputs[0] != x)
    return false;
  if (act.inputs.size() == 1 && ReluClamp(act.builtin_code, &e->clamp_lo, &e->clamp_hi))
    return e->clamp = true;
  if (act.inputs.size() == 1 && act.builtin_code == kOpHardSwish) return e->hard_swish = true;
  if (act.builtin_code != kOpPrelu || act.inputs.size() != 2 || !IsFloat(tensors, act.inputs[1]))
    return false;
  const Tensor& a = tensors[act.inputs[1]];
  const int64_t c = tensors[x].shape.back();
  const bool per_channel = a.rank() >= 1 && a.shape.back() == c && a.num_elements() == c;
  if (!a.is_constant || a.rank() > tensors[x].rank() || (!per_channel && a.num_elements() != 1))
    return false;
  *alpha = act.inputs[1];
  return true;
}

// Swish on float tensor x: LOGISTIC(x) -> sig and MUL(x, sig) or MUL(sig, x)
// without a fused activation, where x is read by those two ops alone and sig
// by the MUL alone. Sets *logistic and *mul (op indices after `from`).
bool TakeSwish(const std::vector<Op*>& ops, const std::vector<Tensor>& tensors,
               const std::vector<int>& consumers, size_t from, int32_t x, int* logistic,
               int* mul) {
  if (consumers[x] != 2) return false;
  *logistic = *mul = -1;
  for (size_t s = from + 1; s < ops.size(); ++s) {
    const OpDesc& d = ops[s]->desc();
    if (std::find(d.inputs.begin(), d.inputs.end(), x) == d.inputs.end()) continue;
    if (d.builtin_code == kOpLogistic && *logistic < 0 && d.inputs.size() == 1 &&
        d.outputs.size() == 1 && IsFloat(tensors, d.outputs[0]) && consumers[d.outputs[0]] == 1) {
      *logistic = static_cast<int>(s);
    } else if (d.builtin_code == kOpMul && *logistic >= 0 && *mul < 0) {
      *mul = static_cast<int>(s);
    } else {
      return false;
    }
  }
  if (*mul < 0) return false;
  const OpDesc& m = ops[*mul]->desc();
  const int32_t sig = ops[*logistic]->desc().outputs[0];
  const bool operands = m.inputs.size() == 2 && ((m.inputs[0] == x && m.inputs[1] == sig) ||
                                                 (m.inputs[0] == sig && m.inputs[1] == x));
  return operands && m.outputs.size() == 1 && IsFloat(tensors, m.outputs[0]) &&
         tensors[m.outputs[0]].shape == tensors[x].shape &&
         std::holds_alternative<ArithmeticOptions>(m.options) &&
         std::get<ArithmeticOptions>(m.options).activation == Activation::kNone;
}

}  // namespace

void FuseEpilogueIntoConvF32(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                             const std::vector<int32_t>& keep, Isa isa, FusedOps* fused) {
  std::vector<int> consumers, producer, consumer(tensors.size(), -1);
  CountUses(ops, tensors.size(), keep, &consumers, &producer);
  for (size_t s = 0; s < ops.size(); ++s)
    for (int32_t t : ops[s]->desc().inputs)
      if (t >= 0) consumer[t] = static_cast<int>(s);
  // The sole consumer op of t, or -1.
  auto next = [&](int32_t t) { return consumers[t] == 1 ? consumer[t] : -1; };
  std::vector<bool> removed(ops.size(), false), replaced(ops.size(), false);
  for (size_t s = 0; s < ops.size(); ++s) {
    if (replaced[s] || removed[s]) continue;
    const OpDesc& d = ops[s]->desc();
    const bool depthwise = d.builtin_code == kOpDepthwiseConv2D;
    if ((d.builtin_code != kOpConv2D && !depthwise) || d.inputs.size() < 2 || d.inputs.size() > 3 ||
        d.outputs.size() != 1 || !IsFloat(tensors, d.inputs[0]) || !IsFloat(tensors, d.inputs[1]) ||
        !tensors[d.inputs[1]].is_constant || !IsFloat(tensors, d.outputs[0]))
      continue;
    ConvF32Epilogue e;
    int32_t out = d.outputs[0], residual = -1, alpha = -1;
    int last = static_cast<int>(s), add = -1;
    std::string name = d.name;
    const int a = next(out);
    if (a >= 0 && ops[a]->desc().builtin_code == kOpAdd) {
      const OpDesc& ad = ops[a]->desc();
      const bool first = ad.inputs.size() == 2 && ad.inputs[0] == out;
      const int32_t other = ad.inputs.size() == 2 ? ad.inputs[first ? 1 : 0] : -1;
      if (other != out && IsFloat(tensors, other) && ad.outputs.size() == 1 &&
          IsFloat(tensors, ad.outputs[0]) && tensors[other].shape == tensors[out].shape) {
        FloatActivationRange(std::get<ArithmeticOptions>(ad.options).activation, &e.add_lo,
                             &e.add_hi, ops[a]->label());
        e.add = true;
        residual = other;
        out = ad.outputs[0];
        last = add = a;
        name += "+" + ad.name;
      }
    }
    const int r = next(out);
    int logistic = -1, mul = -1;
    if (r >= 0 && TakeActivation(ops[r]->desc(), tensors, out, &e, &alpha)) {
      out = ops[r]->desc().outputs[0];
      name += "+" + ops[r]->desc().name;
      last = r;
    } else if (TakeSwish(ops, tensors, consumers, last, out, &logistic, &mul)) {
      e.swish = true;
      out = ops[mul]->desc().outputs[0];
      name += "+" + ops[logistic]->desc().name + "+" + ops[mul]->desc().name;
      removed[logistic] = true;
      last = mul;
    }
    if (last == static_cast<int>(s)) continue;
    auto desc = std::make_unique<OpDesc>(d);
    desc->name = name;
    desc->inputs.resize(3, -1);
    desc->inputs.push_back(residual);
    desc->inputs.push_back(alpha);
    desc->outputs = {out};
    std::vector<Tensor*> ins;
    for (int32_t t : desc->inputs) ins.push_back(t >= 0 ? &tensors[t] : nullptr);
    removed[s] = true;
    if (add >= 0 && add != last) removed[add] = true;
    replaced[last] = true;
    ops[last] = fused->Add(std::move(desc),
                           depthwise ? MakeDepthwiseConv2DThenF32(std::move(e))
                                     : MakeConv2DThenF32(std::move(e)),
                           ins, {&tensors[out]}, isa);
  }
  DropRemoved(ops, removed);
}

void FuseConvIntoDepthwiseF32(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                              const std::vector<int32_t>& keep, int threads, Isa isa,
                              FusedOps* fused) {
  std::vector<int> consumers, producer, consumer(tensors.size(), -1);
  CountUses(ops, tensors.size(), keep, &consumers, &producer);
  for (size_t s = 0; s < ops.size(); ++s)
    for (int32_t t : ops[s]->desc().inputs)
      if (t >= 0) consumer[t] = static_cast<int>(s);
  // The float op that alone reads t (as its first input), or -1.
  auto reader = [&](int32_t t, int code) {
    const int r = consumers[t] == 1 ? consumer[t] : -1;
    if (r < 0 || !IsFloat(tensors, t)) return -1;
    const OpDesc& d = ops[r]->desc();
    const bool ok = d.builtin_code == code && !d.inputs.empty() && d.inputs[0] == t &&
                    d.outputs.size() == 1 && IsFloat(tensors, d.outputs[0]);
    return ok ? r : -1;
  };
  std::vector<bool> removed(ops.size(), false), replaced(ops.size(), false);
  for (size_t s = 0; s < ops.size(); ++s) {
    const OpDesc& c = ops[s]->desc();
    if (removed[s] || replaced[s] || c.builtin_code != kOpConv2D || c.outputs.size() != 1) continue;
    const int dw = reader(c.outputs[0], kOpDepthwiseConv2D);
    if (dw < 0 || replaced[dw]) continue;
    const OpDesc& d = ops[dw]->desc();
    int project = reader(d.outputs[0], kOpConv2D);
    std::unique_ptr<Op> op;
    if (project >= 0)
      op = MakeConvThenDepthwiseF32(*ops[s], *ops[dw], ops[project], threads);
    if (!op) {
      project = -1;
      op = MakeConvThenDepthwiseF32(*ops[s], *ops[dw], nullptr, threads);
    }
    if (!op) continue;
    const int last = project >= 0 ? project : dw;
    const OpDesc& l = ops[last]->desc();
    auto desc = std::make_unique<OpDesc>(l);
    desc->name = c.name + "+" + d.name + (project >= 0 ? "+" + l.name : "");
    desc->inputs = c.inputs;
    desc->inputs.insert(desc->inputs.end(), d.inputs.begin() + 1, d.inputs.end());
    if (project >= 0) desc->inputs.insert(desc->inputs.end(), l.inputs.begin() + 1, l.inputs.end());
    std::vector<Tensor*> ins;
    for (int32_t t : desc->inputs) ins.push_back(t >= 0 ? &tensors[t] : nullptr);
    Tensor* out = &tensors[l.outputs[0]];
    removed[s] = true;
    if (last != dw) removed[dw] = true;
    replaced[last] = true;
    ops[last] = fused->Add(std::move(desc), std::move(op), ins, {out}, isa);
  }
  DropRemoved(ops, removed);
}

}  // namespace pyrt
