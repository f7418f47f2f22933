#include "interpreter/fusion.h"

#include <limits>

#include "model/builtin_ops.h"
#include "ops/fused_lut.h"
#include "ops/movement_common.h"
#include "ops/registry.h"

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

// [top, bottom, left, right] of a PAD op that pads a 4-D tensor along height
// and width only, with what a conv's padding stands for: zeros (float32), or
// (int8) the zero point the input and output share, or false. The int8
// PAD fills with its output's zero point (TFLite's pad.cc), which is the
// conv's input zero point, and the fused conv reads the PAD's input with
// the same quantization.
bool SpatialConvPad(const Op& pad, const std::vector<Tensor>& tensors, int32_t pads[4]) {
  const OpDesc& d = pad.desc();
  if (d.builtin_code != kOpPad || d.inputs.size() != 2 || d.outputs.size() != 1) return false;
  const Tensor& in = tensors[d.inputs[0]];
  const Tensor& out = tensors[d.outputs[0]];
  const Tensor& paddings = tensors[d.inputs[1]];
  if (in.rank() != 4 || in.dtype != out.dtype || !paddings.is_constant ||
      (paddings.dtype != DType::kInt32 && paddings.dtype != DType::kInt64) ||
      paddings.num_elements() != 8)
    return false;
  if (in.dtype == DType::kInt8) {
    if (in.quant.per_channel() || out.quant.per_channel() || in.scale() != out.scale() ||
        in.zero_point() != out.zero_point())
      return false;
  } else if (in.dtype != DType::kFloat32) {
    return false;
  }
  const std::vector<int64_t> p = ReadConstantIndices(paddings, pad.label(), "paddings");
  if (p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0) return false;
  for (int i = 0; i < 4; ++i) {
    if (p[2 + i] < 0 || p[2 + i] > 1024) return false;
    pads[i] = static_cast<int32_t>(p[2 + i]);
  }
  return true;
}

}  // namespace

void CountUses(const std::vector<Op*>& ops, size_t num_tensors, const std::vector<int32_t>& keep,
               std::vector<int>* consumers, std::vector<int>* producer) {
  consumers->assign(num_tensors, 0);
  producer->assign(num_tensors, -1);
  for (size_t s = 0; s < ops.size(); ++s) {
    for (int32_t t : ops[s]->desc().inputs)
      if (t >= 0) ++(*consumers)[t];
    for (int32_t t : ops[s]->desc().outputs) (*producer)[t] = static_cast<int>(s);
  }
  for (int32_t t : keep) ++(*consumers)[t];
}

Op* FusedOps::Add(std::unique_ptr<OpDesc> desc, std::unique_ptr<Op> op,
                  std::vector<Tensor*> inputs, std::vector<Tensor*> outputs, Isa isa) {
  op->Bind(desc.get(), std::move(inputs), std::move(outputs));
  op->set_isa(isa);
  op->Prepare();
  descs.push_back(std::move(desc));
  ops.push_back(std::move(op));
  return ops.back().get();
}

void DropRemoved(std::vector<Op*>& ops, const std::vector<bool>& removed) {
  size_t kept = 0;
  for (size_t s = 0; s < ops.size(); ++s)
    if (!removed[s]) ops[kept++] = ops[s];
  ops.resize(kept);
}

void FusePadIntoConv(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                     const std::vector<int32_t>& keep, bool float_convs, Isa isa,
                     FusedOps* fused) {
  std::vector<int> consumers, producer;
  CountUses(ops, tensors.size(), keep, &consumers, &producer);
  std::vector<bool> removed(ops.size(), false);
  for (size_t s = 0; s < ops.size(); ++s) {
    const OpDesc& d = ops[s]->desc();
    const bool depthwise = d.builtin_code == kOpDepthwiseConv2D;
    if ((d.builtin_code != kOpConv2D && !depthwise) || d.inputs.size() < 2) continue;
    const int32_t padded = d.inputs[0];
    if (padded < 0 || producer[padded] < 0 || consumers[padded] != 1) continue;
    // The filter's type as the input's: a float input with int8 weights is
    // a hybrid conv, an int16 one a 16x8 conv.
    const DType type = tensors[padded].dtype;
    if (d.inputs[1] < 0 || tensors[d.inputs[1]].dtype != type) continue;
    if (type == DType::kFloat32 ? !float_convs : type != DType::kInt8) continue;
    const Op& pad = *ops[producer[padded]];
    int32_t pads[4];
    if (removed[producer[padded]] || !SpatialConvPad(pad, tensors, pads)) continue;
    auto desc = std::make_unique<OpDesc>(d);
    desc->name = pad.desc().name + "+" + d.name;
    desc->inputs[0] = pad.desc().inputs[0];
    ConvOptions& o = std::get<ConvOptions>(desc->options);
    o.fused_pad_top = pads[0], o.fused_pad_bottom = pads[1];
    o.fused_pad_left = pads[2], o.fused_pad_right = pads[3];
    std::vector<Tensor*> ins;
    for (int32_t t : desc->inputs) ins.push_back(t >= 0 ? &tensors[t] : nullptr);
    std::unique_ptr<Op> op;
    if (type == DType::kFloat32) {
      op = depthwise ? MakeDepthwiseConv2DF32() : MakeConv2DF32();
    } else {
      op = depthwise ? MakeDepthwiseConv2D() : MakeConv2D();
    }
    removed[producer[padded]] = true;
    ops[s] = fused->Add(std::move(desc), std::move(op), ins, {&tensors[d.outputs[0]]}, isa);
  }
  DropRemoved(ops, removed);
}

void FuseClampIntoBinaryF32(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                            const std::vector<int32_t>& keep, Isa isa, FusedOps* fused) {
  std::vector<int> consumers, producer;
  CountUses(ops, tensors.size(), keep, &consumers, &producer);
  std::vector<bool> removed(ops.size(), false);
  constexpr float kInf = std::numeric_limits<float>::infinity();
  for (size_t s = 0; s < ops.size(); ++s) {
    const OpDesc& d = ops[s]->desc();
    float lo, hi;  // the RELU family's clamp (ops/unary_f32.cc)
    if (d.builtin_code == kOpRelu) lo = 0.f, hi = kInf;
    else if (d.builtin_code == kOpRelu6) lo = 0.f, hi = 6.f;
    else if (d.builtin_code == kOpReluN1To1) lo = -1.f, hi = 1.f;
    else continue;
    if (d.inputs.size() != 1 || d.outputs.size() != 1) continue;
    const int32_t t = d.inputs[0], out = d.outputs[0];
    if (t < 0 || producer[t] < 0 || removed[producer[t]] || consumers[t] != 1) continue;
    if (tensors[t].dtype != DType::kFloat32 || tensors[out].dtype != DType::kFloat32) continue;
    const Op& bin = *ops[producer[t]];
    const OpDesc& bd = bin.desc();
    if ((bd.builtin_code != kOpAdd && bd.builtin_code != kOpSub && bd.builtin_code != kOpMul) ||
        bd.inputs.size() != 2 || bd.outputs.size() != 1 || bd.inputs[0] < 0 || bd.inputs[1] < 0 ||
        tensors[bd.inputs[0]].dtype != DType::kFloat32 ||
        tensors[bd.inputs[1]].dtype != DType::kFloat32)
      continue;
    auto desc = std::make_unique<OpDesc>(bd);
    desc->name = bd.name + "+" + d.name;
    desc->outputs = {out};
    std::vector<Tensor*> ins = {&tensors[bd.inputs[0]], &tensors[bd.inputs[1]]};
    std::unique_ptr<Op> op = MakeBinaryThenClampF32(bd.builtin_code, lo, hi);
    removed[producer[t]] = true;
    ops[s] = fused->Add(std::move(desc), std::move(op), ins, {&tensors[out]}, isa);
  }
  DropRemoved(ops, removed);
}

void FuseElementwiseS8(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                       const std::vector<int32_t>& keep, Isa isa, FusedOps* fused) {
  std::vector<int> consumers, producer;
  CountUses(ops, tensors.size(), keep, &consumers, &producer);
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
      removed[producer[t]] = true;
      ops[s] = fused->Add(std::move(desc), MakeFusedLutS8(lut), {&tensors[x]}, {&tensors[out]}, isa);
      break;
    }
  }
  DropRemoved(ops, removed);
}

}  // namespace pyrt
