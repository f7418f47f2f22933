// Rewrites of the invoke list that keep every output bit-identical.
//
// Elementwise int8 chains collapse into one 256-entry table: MUL(x, f(x)),
// where f is a table op (LOGISTIC, HARD_SWISH) whose output feeds nothing
// else, becomes one table over x (swish = x * sigmoid(x) in one pass instead
// of two). Each fused entry is computed by the original ops themselves, so
// results are exactly those of running them one after the other.
#pragma once

#include <memory>
#include <vector>

#include "kernels/isa.h"
#include "model/model.h"
#include "ops/op.h"
#include "core/tensor.h"

namespace pyrt {

struct FusedOps {
  std::vector<std::unique_ptr<OpDesc>> descs;
  std::vector<std::unique_ptr<Op>> ops;

  // Binds `op` to `desc` and the given tensors, prepares it on `isa`, keeps
  // both alive and returns the op for the invoke list.
  Op* Add(std::unique_ptr<OpDesc> desc, std::unique_ptr<Op> op, std::vector<Tensor*> inputs,
          std::vector<Tensor*> outputs, Isa isa);
};

// Consumer counts and producer op (-1: none) of every tensor; graph outputs
// (`keep`) count as consumers.
void CountUses(const std::vector<Op*>& ops, size_t num_tensors, const std::vector<int32_t>& keep,
               std::vector<int>* consumers, std::vector<int>* producer);

// Drops the ops marked in `removed` from `ops`, keeping the others' order.
void DropRemoved(std::vector<Op*>& ops, const std::vector<bool>& removed);

// `ops`: the prepared ops that run at invoke, in order; rewritten in place.
// Tensors in `keep` (graph outputs) are never fused away. New ops are owned
// by `fused`.
void FuseElementwiseS8(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                       const std::vector<int32_t>& keep, Isa isa, FusedOps* fused);

// PAD (height and width only) feeding only an int8 or float32 CONV_2D or
// DEPTHWISE_CONV_2D becomes that conv with the padding added to its window
// (ConvOptions::fused_pad_*), as XNNPACK fuses it: the padded copy is never
// written. The PAD's border is what the conv's padding stands for (zeros;
// for int8 the zero point), so the sums are the same, and so are the
// outputs. float_convs false: int8 convs only.
void FusePadIntoConv(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                     const std::vector<int32_t>& keep, bool float_convs, Isa isa,
                     FusedOps* fused);

// A float32 RELU, RELU6 or RELU_N1_TO_1 reading only the output of a float32
// ADD, SUB or MUL becomes one op computing both (XNNPACK fuses the clamp
// into the binary op): the intermediate tensor is never written to the
// arena. Each op's arithmetic is unchanged, so are the outputs.
void FuseClampIntoBinaryF32(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                            const std::vector<int32_t>& keep, Isa isa, FusedOps* fused);

}  // namespace pyrt
