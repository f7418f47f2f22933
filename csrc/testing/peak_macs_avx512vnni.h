// Throughput loop of the exact int8 instruction of the avx512vnni path
// (x86-64 only; call only when the CPU has AVX-512 VNNI).
#pragma once

#include <cstdint>

namespace pyrt {

constexpr int64_t kAvx512VnniDpbusdMacsPerIteration = 12 * 64;
int32_t Avx512VnniDpbusdThroughputLoop(int64_t iterations);

}  // namespace pyrt
