// Instruction-set paths of the int8 kernels, chosen once per interpreter.
//
// kReference is the portable scalar code (the executable spec); every other
// path must give bit-identical results. The best path the CPU (and the OS:
// vector state must be enabled in XCR0) supports is used unless the
// environment variable PYRUNTIME_ISA names one.
#pragma once

#include <string>

namespace pyrt {

enum class Isa {
  kReference,
  kAvx2,  // AVX2 + FMA: vpmaddwd int16 dot products
  // kAvx512Vnni: detected below; no kernel is built for it yet.
  // kNeon: room for an Arm path.
};

const char* IsaName(Isa isa);

// True when this build has kernels for `isa` and the running CPU/OS can
// execute them.
bool IsaAvailable(Isa isa);

// Best available path.
Isa BestIsa();

// The path named by `name` ("reference", "avx2"; nullptr or "" = best).
// Throws UsageError for unknown names and paths this CPU cannot run.
Isa ResolveIsa(const char* name);

// ResolveIsa(getenv("PYRUNTIME_ISA")).
Isa IsaFromEnvironment();

// CPU features as detected, for diagnostics ("avx2 fma avx512f ...").
std::string CpuFeatureSummary();

}  // namespace pyrt
