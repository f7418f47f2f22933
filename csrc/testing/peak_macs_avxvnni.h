// Throughput loop of the exact int8 instruction of the avxvnni path
// (x86-64 only; call only when the CPU has AVX-VNNI).
#pragma once

#include <cstdint>

namespace pyrt {

constexpr int64_t kAvxVnniDpbusdMacsPerIteration = 12 * 32;
int32_t AvxVnniDpbusdThroughputLoop(int64_t iterations);

}  // namespace pyrt
