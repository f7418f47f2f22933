// Dispatch table of the hybrid GEMM family (kernels/hybrid_gemm.h drives
// it): per kernel path, the tile, the k grouping of the packed weights, the
// activation format and the microkernel. Every path gives the same bits.
#pragma once

#include "kernels/hybrid_gemm_ukernel.h"
#include "kernels/isa.h"

namespace pyrt {

// How a path's microkernel wants A rows (hybrid_gemm_ukernel.h).
enum class HybridGemmInput { kS16, kU8Offset128, kS8 };

struct HybridGemmConfig {
  const char* name = "";
  int mr = 1, nr = 1;
  int kr = 2;  // k values per packed group: kp is K rounded up to kr
  HybridGemmInput input = HybridGemmInput::kS16;
  HybridGemmUkernel s16 = nullptr;    // kS16 paths
  HybridGemmU8Ukernel u8 = nullptr;   // kU8Offset128 paths
  HybridGemmS8Ukernel s8 = nullptr;   // kS8 paths
};

// The best config a CPU running `isa` can execute (the portable kernel for
// kReference and paths without kernels of their own).
const HybridGemmConfig& HybridGemmConfigFor(Isa isa);

}  // namespace pyrt
