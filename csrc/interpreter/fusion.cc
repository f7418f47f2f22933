#include "interpreter/fusion.h"

#include "ops/fused_lut.h"

namespace pyrt {
namespace {

// The table of MUL(x, f(x)) (f on input `f_side` of the MUL), or false when
// `mul` is not an int8 elementwise binary op.
bool MulOfTable(const Op& mul, const int8_t* f_lut, int f_side, int8_t lut[256]) {
  for (int v = 0; v < 256; ++v) {
    const int8_t x = static_cast<int8_t>(v), fx = f_lut[v];
    if (!mul.EvalScalarS8(f_side == 0 ? fx : x, f_side == 0 ? x : fx, &lut[v])) return false;
  }
  return true;
}

}  // namespace

void FuseElementwiseS8(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                       const std::vector<int32_t>& keep, Isa isa, FusedOps* fused) {
  std::vector<int> consumers(tensors.size(), 0), producer(tensors.size(), -1);
  for (size_t s = 0; s < ops.size(); ++s) {
    for (int32_t t : ops[s]->desc().inputs)
      if (t >= 0) ++consumers[t];
    for (int32_t t : ops[s]->desc().outputs) producer[t] = static_cast<int>(s);
  }
  for (int32_t t : keep) ++consumers[t];
  std::vector<bool> removed(ops.size(), false);
  for (size_t s = 0; s < ops.size(); ++s) {
    const OpDesc& d = ops[s]->desc();
    if (d.inputs.size() != 2 || d.outputs.size() != 1) continue;
    for (int side = 0; side < 2; ++side) {
      const int32_t t = d.inputs[side], x = d.inputs[1 - side], out = d.outputs[0];
      if (t < 0 || x < 0 || producer[t] < 0 || removed[producer[t]] || consumers[t] != 1) continue;
      const Op& f = *ops[producer[t]];
      if (!f.UnaryLutS8() || f.desc().inputs.size() != 1 || f.desc().inputs[0] != x) continue;
      if (tensors[x].dtype != DType::kInt8 || tensors[x].shape != tensors[out].shape) continue;
      int8_t lut[256];
      if (!MulOfTable(*ops[s], f.UnaryLutS8(), side, lut)) break;
      auto desc = std::make_unique<OpDesc>();
      desc->index = d.index;
      desc->builtin_code = d.builtin_code;
      desc->name = f.desc().name + "+" + d.name;
      desc->inputs = {x};
      desc->outputs = {out};
      std::unique_ptr<Op> op = MakeFusedLutS8(lut);
      op->Bind(desc.get(), {&tensors[x]}, {&tensors[out]});
      op->set_isa(isa);
      op->Prepare();
      removed[producer[t]] = true;
      ops[s] = op.get();
      fused->descs.push_back(std::move(desc));
      fused->ops.push_back(std::move(op));
      break;
    }
  }
  size_t kept = 0;
  for (size_t s = 0; s < ops.size(); ++s)
    if (!removed[s]) ops[kept++] = ops[s];
  ops.resize(kept);
}

}  // namespace pyrt
