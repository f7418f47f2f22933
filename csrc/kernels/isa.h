// Instruction-set paths of the int8 kernels, chosen once per interpreter.
//
// kReference is the portable scalar code (the executable spec); every other
// path must give bit-identical results. The best path the CPU (and the OS:
// vector state must be enabled in XCR0) supports is used unless the
// environment variable PYRUNTIME_ISA names one.
#pragma once

#include <string>
#include <vector>

namespace pyrt {

// x86 paths are ordered: each one can run every kernel of the paths before
// it, so a family without its own kernel for a path uses the best one below.
enum class Isa {
  kReference,
  kAvx2,        // AVX2 + FMA: vpmaddwd int16 dot products
  kAvx512Vnni,  // + AVX-512 F/BW/VL/DQ/VNNI: zmm vpdpbusd u8 x s8 dot products
};

const char* IsaName(Isa isa);

// True when a CPU that runs `isa` also runs the kernels of `floor`.
inline bool IsaAtLeast(Isa isa, Isa floor) {
  return static_cast<int>(isa) >= static_cast<int>(floor);
}

// Every path this build and this CPU can run, best first ("reference" last).
std::vector<Isa> CpuPaths();

// True when this build has kernels for `isa` and the running CPU/OS can
// execute them.
bool IsaAvailable(Isa isa);

// Best available path.
Isa BestIsa();

// The path named by `name` (an IsaName; nullptr or "" = best).
// Throws UsageError for unknown names and paths this CPU cannot run.
Isa ResolveIsa(const char* name);

// ResolveIsa(getenv("PYRUNTIME_ISA")).
Isa IsaFromEnvironment();

// CPU features as detected, for diagnostics ("avx2 fma avx512f ...").
std::string CpuFeatureSummary();

}  // namespace pyrt
