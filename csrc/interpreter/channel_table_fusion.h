// Chains of int8 elementwise binary ops whose other operand is a constant
// that varies at most along the innermost dimension (a scalar, or one value
// per channel) collapse into one table per channel: MUL(x, gamma[c]) ->
// ADD(., beta[c]) (BatchNorm after a concatenation, as in DenseNet), or an
// input normalization MUL -> SUB -> MUL, run as one lookup pass instead of
// two or three requantizing passes. Each table entry is computed by the
// original ops themselves (EvalScalarS8), so outputs are exactly those of
// running them one after the other. A chain with only scalar constants
// becomes a plain 256-entry table op (SIMD lookups).
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"
#include "interpreter/fusion.h"
#include "kernels/isa.h"
#include "ops/op.h"

namespace pyrt {

// Tables of more channels are not built (256 bytes each): on DenseNet121's
// wide BatchNorms (64-1024 channels) gathers from a 16-256 KB table were no
// faster than the ADD / MUL SIMD rows (AVX-512 VBMI ADD tables), so the
// tables serve few-channel chains (input normalization) and scalar ones.
constexpr int64_t kMaxChannelTableChannels = 16;
// A per-channel table (channels x 256 bytes) is read from memory on every
// invoke: it pays only when the tensor has many rows (pixels) per table
// byte. Below this many rows the ops stay as they are (their SIMD rows
// beat lookups into a cold table).
constexpr int64_t kMinRowsForChannelTable = 512;

// `ops`: the prepared ops that run at invoke, in order; rewritten in place.
// Tensors in `keep` (graph outputs) are never fused away. New ops are owned
// by `fused`.
void FuseChannelTablesS8(std::vector<Op*>& ops, std::vector<Tensor>& tensors,
                         const std::vector<int32_t>& keep, Isa isa, FusedOps* fused);

}  // namespace pyrt
