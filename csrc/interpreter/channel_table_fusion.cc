#include "interpreter/channel_table_fusion.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "ops/fused_channel_lut.h"
#include "ops/fused_lut.h"

namespace pyrt {
namespace {

// An op of a chain: out = op(x, k[c]) with k constant per channel.
struct ChannelStep {
  int side = 0;            // input index of x (the other one is the constant)
  int64_t channels = 0;    // 1 (scalar constant) or the output's innermost dim
  const int8_t* k = nullptr;
};

// Channels of constant `k` broadcast against `out`: 1 for one value, the
// innermost dim when k varies only along it, else 0 (not a channel constant).
int64_t ConstantChannels(const Tensor& k, const Tensor& out) {
  if (k.num_elements() == 1) return 1;
  if (out.rank() == 0 || k.rank() > out.rank() || k.rank() == 0) return 0;
  if (k.shape.back() != out.shape.back()) return 0;
  for (int d = 0; d + 1 < k.rank(); ++d)
    if (k.shape[d] != 1) return 0;
  return out.shape.back();
}

// True (and *step filled) when ops[s] is an int8 binary elementwise op with
// one non-constant input shaped like the output and one channel constant.
bool AsChannelStep(const Op& op, const std::vector<Tensor>& tensors, ChannelStep* step) {
  const OpDesc& d = op.desc();
  if (d.inputs.size() != 2 || d.outputs.size() != 1 || d.inputs[0] < 0 || d.inputs[1] < 0)
    return false;
  const Tensor& out = tensors[d.outputs[0]];
  if (out.dtype != DType::kInt8) return false;
  for (int side = 0; side < 2; ++side) {
    const Tensor& x = tensors[d.inputs[side]];
    const Tensor& k = tensors[d.inputs[1 - side]];
    if (x.is_constant || !k.is_constant || x.dtype != DType::kInt8 || k.dtype != DType::kInt8 ||
        x.shape != out.shape || k.data == nullptr)
      continue;
    const int64_t channels = ConstantChannels(k, out);
    if (channels == 0 || channels > kMaxChannelTableChannels) continue;
    if (channels > 1 && out.num_elements() / channels < kMinRowsForChannelTable) continue;
    int8_t probe;
    if (!op.EvalScalarS8(0, 0, &probe)) return false;
    *step = ChannelStep{side, channels, reinterpret_cast<const int8_t*>(k.data)};
    return true;
  }
  return false;
}

// table[c][v] <- op(table[c][v], k[c]) for every channel and entry.
void Apply(const Op& op, const ChannelStep& s, int64_t channels, std::vector<int8_t>* table) {
  for (int64_t c = 0; c < channels; ++c) {
    const int8_t k = s.k[s.channels == 1 ? 0 : c];
    int8_t* row = table->data() + c * 256;
    for (int v = 0; v < 256; ++v) {
      const int8_t x = row[v];
      op.EvalScalarS8(s.side == 0 ? x : k, s.side == 0 ? k : x, &row[v]);
    }
  }
}

}  // namespace

void FuseChannelTablesS8(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                         const std::vector<int32_t>& keep, Isa isa, FusedOps* fused) {
  std::vector<int> consumers(tensors.size(), 0), consumer(tensors.size(), -1);
  for (size_t s = 0; s < ops.size(); ++s)
    for (int32_t t : ops[s]->desc().inputs)
      if (t >= 0) ++consumers[t], consumer[t] = static_cast<int>(s);
  for (int32_t t : keep) ++consumers[t];
  std::vector<bool> removed(ops.size(), false);
  for (size_t s0 = 0; s0 < ops.size(); ++s0) {
    ChannelStep first;
    if (removed[s0] || !AsChannelStep(*ops[s0], tensors, &first)) continue;
    // Follow the chain while each output feeds exactly the next such op.
    std::vector<std::pair<int, ChannelStep>> chain{{static_cast<int>(s0), first}};
    int64_t channels = first.channels;
    for (;;) {
      const int32_t t = ops[chain.back().first]->desc().outputs[0];
      const int next = consumers[t] == 1 ? consumer[t] : -1;
      ChannelStep step;
      if (next < 0 || removed[next] || !AsChannelStep(*ops[next], tensors, &step) ||
          ops[next]->desc().inputs[step.side] != t ||
          (step.channels != 1 && channels != 1 && step.channels != channels))
        break;
      channels = std::max(channels, step.channels);
      chain.emplace_back(next, step);
    }
    std::vector<int8_t> table(static_cast<size_t>(channels) * 256);
    for (int64_t c = 0; c < channels; ++c)
      for (int v = 0; v < 256; ++v) table[c * 256 + v] = static_cast<int8_t>(v);
    auto desc = std::make_unique<OpDesc>();
    const OpDesc& last = ops[chain.back().first]->desc();
    desc->index = last.index;
    desc->builtin_code = last.builtin_code;
    for (const auto& [step_index, step] : chain) {
      Apply(*ops[step_index], step, channels, &table);
      desc->name += (desc->name.empty() ? "" : "+") + ops[step_index]->desc().name;
    }
    const int32_t x = ops[s0]->desc().inputs[first.side];
    desc->inputs = {x};
    desc->outputs = {last.outputs[0]};
    std::unique_ptr<Op> op =
        channels == 1 ? MakeFusedLutS8(table.data()) : MakeFusedChannelLutS8(std::move(table), channels);
    for (size_t i = 0; i + 1 < chain.size(); ++i) removed[chain[i].first] = true;
    const int32_t y = desc->outputs[0];
    ops[chain.back().first] =
        fused->Add(std::move(desc), std::move(op), {&tensors[x]}, {&tensors[y]}, isa);
  }
  DropRemoved(ops, removed);
}

}  // namespace pyrt
