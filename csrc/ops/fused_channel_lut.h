// An int8 elementwise op given by one 256-entry table per channel (the
// innermost dimension), made by the fusion pass (interpreter/
// channel_table_fusion.h) from chains of ADD / SUB / MUL with per-channel
// constants; not a builtin.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ops/op.h"

namespace pyrt {

// table[c * 256 + uint8(v)] is the output for input v in channel c; the
// input's innermost dimension must be `channels`. Bind, set_isa, then Prepare.
std::unique_ptr<Op> MakeFusedChannelLutS8(std::vector<int8_t> table, int64_t channels);

}  // namespace pyrt
