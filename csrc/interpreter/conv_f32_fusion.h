// Float32 CONV_2D / DEPTHWISE_CONV_2D followed by the elementwise ops of a
// residual block.
#pragma once

#include <vector>

#include "interpreter/fusion.h"

namespace pyrt {

// A float32 CONV_2D or DEPTHWISE_CONV_2D whose output feeds only an ADD (the
// other operand of the output's shape), then optionally only a RELU, RELU6,
// RELU_N1_TO_1, HARD_SWISH or PRELU (constant per-channel slopes) or a
// swish (LOGISTIC, then MUL by the same tensor), or a conv feeding only such an activation,
// becomes one conv applying those ops to each block of its output while it
// is in cache (ConvF32Epilogue): the intermediate tensors are never written
// to the arena and op dispatches go. Each op's arithmetic is unchanged (the
// same elementwise kernels), so are the outputs. The fused op runs where the
// chain's last op ran, after both ADD operands exist.
void FuseEpilogueIntoConvF32(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                             const std::vector<int32_t>& keep, Isa isa, FusedOps* fused);

// A float32 CONV_2D (after FuseEpilogueIntoConvF32: with its epilogue)
// whose output only a float32 DEPTHWISE_CONV_2D reads becomes one op
// running both in bands of rows (kernels/reference/conv_then_depthwise_f32.h),
// when that intermediate tensor is larger than L2, together with the
// pointwise CONV_2D that alone reads the depthwise's output, if any (an
// inverted residual block): the intermediate tensors are then never
// written to the arena. The fused op runs where the last of them ran. Each
// output is computed by the same kernels as before, bit for bit. threads:
// the pool's (one window each).
void FuseConvIntoDepthwiseF32(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                              const std::vector<int32_t>& keep, int threads, Isa isa,
                              FusedOps* fused);

}  // namespace pyrt
