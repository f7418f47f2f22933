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

// The paths of one architecture are ordered: each one can run every kernel
// of the paths before it (of the same architecture), so a family without its
// own kernel for a path uses the best one below. kReference is below all.
// One exception: kAvx512Vnni CPUs need not have the VEX-encoded AVX-VNNI
// (Ice Lake, Zen 4 do not), so nothing is above kAvxVnni (IsaAtLeast).
// kAmx runs every kAvx512Vnni kernel (families without AMX kernels use them).
enum class Isa {
  kReference,
  // x86-64
  kAvx2,        // AVX2 + FMA: vpmaddwd int16 dot products
  kAvxVnni,     // + AVX-VNNI: ymm vpdpbusd (VEX) u8 x s8 dot products (Alder Lake and later)
  kAvx512Vnni,  // AVX2 + FMA + AVX-512 F/BW/VL/DQ/VNNI: zmm vpdpbusd (need not have AVX-VNNI)
  kAmx,         // + AMX-TILE/AMX-INT8 granted by the OS: tdpbssd s8 x s8 tiles (Sapphire Rapids+)
  // AArch64 (Advanced SIMD is part of the base architecture)
  kNeon,        // ARMv8.0 NEON: smull/smlal/sadalp int8 products
  kNeonDot,     // + ARMv8.2 dotprod: sdot s8 x s8 4-way dot products
  kNeonI8mm,    // + ARMv8.6 i8mm: smmla 2x8 by 8x2 int8 matrix products
};

const char* IsaName(Isa isa);

// 0 for kReference, 1 for x86 paths, 2 for Arm paths.
inline int IsaArch(Isa isa) {
  if (isa == Isa::kReference) return 0;
  return static_cast<int>(isa) >= static_cast<int>(Isa::kNeon) ? 2 : 1;
}

// True when a CPU that runs `isa` also runs the kernels of `floor`: floor is
// the reference, or a path of the same architecture not above isa (an Arm
// path never includes an x86 one, nor the other way round).
inline bool IsaAtLeast(Isa isa, Isa floor) {
  if (floor == Isa::kReference) return true;
  if (floor == Isa::kAvxVnni) return isa == Isa::kAvxVnni;
  return IsaArch(isa) == IsaArch(floor) && static_cast<int>(isa) >= static_cast<int>(floor);
}

// Every path this build and this CPU can run, best first ("reference" last).
std::vector<Isa> CpuPaths();

// True when this build has kernels for `isa` and the running CPU/OS can
// execute them.
bool IsaAvailable(Isa isa);

// Best available path.
Isa BestIsa();

// AVX-512 VBMI (vpermt2b: 128-entry byte table lookups), which some families
// use within the avx512vnni path when the CPU has it (Ice Lake and later,
// Zen 4; not Cascade Lake).
bool CpuHasAvx512Vbmi();

// True when this build runs `isa` as emulated code: the test build of CMake
// option PYRUNTIME_EMULATE_X86 (avxvnni and avx512vnni through SIMD
// Everywhere on AVX2), which offers those paths on CPUs without the units.
bool IsaEmulated(Isa isa);

// The path named by `name` (an IsaName; nullptr or "" = best).
// Throws UsageError for unknown names and paths this CPU cannot run.
Isa ResolveIsa(const char* name);

// ResolveIsa(getenv("PYRUNTIME_ISA")).
Isa IsaFromEnvironment();

// CPU features as detected, for diagnostics ("avx2 fma avx512f ...").
std::string CpuFeatureSummary();

}  // namespace pyrt
