// Throughput loop of the exact int8 instruction of the amx path (x86-64
// only; call only when IsaAvailable(Isa::kAmx): the OS granted the tile data).
#pragma once

#include <cstdint>

namespace pyrt {

// Four tdpbssd of 16 x 16 outputs by 64 k each per iteration.
constexpr int64_t kAmxDpbssdMacsPerIteration = 4 * 16 * 16 * 64;
int32_t AmxDpbssdThroughputLoop(int64_t iterations);

}  // namespace pyrt
