#include "kernels/isa.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include "core/error.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define PYRT_X86 1
#if defined(__linux__) && defined(__x86_64__)
#include <sys/syscall.h>
#include <unistd.h>
#endif
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#define PYRT_ARM64 1
// Bits of getauxval(AT_HWCAP / AT_HWCAP2) (linux/arch/arm64/include/uapi/asm/hwcap.h),
// spelled out for older kernel headers.
constexpr unsigned long kHwcapAsimd = 1ul << 1;
constexpr unsigned long kHwcapAsimdDp = 1ul << 20;
constexpr unsigned long kHwcap2I8mm = 1ul << 13;
#endif

namespace pyrt {
namespace {

struct CpuFeatures {
  bool avx2 = false, fma = false;
  bool avx512f = false, avx512bw = false, avx512vl = false, avx512dq = false, avx512vnni = false;
  bool avx512vbmi = false;  // an extension some families use within the avx512vnni path
  bool avxvnni = false;     // VEX-encoded vpdpbusd (CPUID 7.1 EAX bit 4)
  bool amx_int8 = false;    // AMX-TILE + AMX-INT8 on the CPU, tile state in XCR0
  bool amx_granted = false; // and the OS let this process use the tile data
  bool asimd = false, asimddp = false, i8mm = false;  // AArch64
  bool emulated_x86 = false;  // the emulated test build's avxvnni / avx512vnni paths
};

#ifdef PYRT_X86
// XCR0: which register state the OS saves on context switch.
uint64_t ReadXcr0() {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t{hi} << 32) | lo;
}

// Linux (>= 5.16) enables the 8 KB tile data state per process, on request
// (arch_prctl ARCH_REQ_XCOMP_PERM for XFEATURE_XTILEDATA); without it the
// first tile instruction kills the process. Old kernels, seccomp filters and
// other systems refuse: the amx path is then not offered.
[[maybe_unused]] bool RequestTileData() {
#if defined(__linux__) && defined(__x86_64__)
  constexpr long kArchReqXcompPerm = 0x1023, kXfeatureXtiledata = 18;
  return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
#else
  return false;
#endif
}

CpuFeatures Detect() {
  CpuFeatures f;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool osxsave = (c >> 27) & 1, cpu_avx = (c >> 28) & 1, cpu_fma = (c >> 12) & 1;
  if (!osxsave || !cpu_avx) return f;
  const uint64_t xcr0 = ReadXcr0();
  const bool ymm_state = (xcr0 & 0x6) == 0x6;     // SSE + AVX state
  const bool zmm_state = (xcr0 & 0xe6) == 0xe6;   // + opmask, ZMM_Hi256, Hi16_ZMM
  if (!ymm_state || __get_cpuid_max(0, nullptr) < 7) return f;
  __cpuid_count(7, 0, a, b, c, d);
  const unsigned max_subleaf = a;
  f.avx2 = (b >> 5) & 1;
  f.fma = cpu_fma;
  if (max_subleaf >= 1) {
    unsigned a1, b1, c1, d1;
    __cpuid_count(7, 1, a1, b1, c1, d1);
    f.avxvnni = (a1 >> 4) & 1;
  }
  if (zmm_state) {
    f.avx512f = (b >> 16) & 1;
    f.avx512bw = (b >> 30) & 1;
    f.avx512dq = (b >> 17) & 1;
    f.avx512vl = (b >> 31) & 1;
    f.avx512vnni = (c >> 11) & 1;
    f.avx512vbmi = (c >> 1) & 1;
  }
  // CPUID.7.0 EDX bits 24 (AMX-TILE) and 25 (AMX-INT8); XCR0 bits 17
  // (XTILECFG) and 18 (XTILEDATA). Asked once, here.
  const bool tile_state = ((xcr0 >> 17) & 3) == 3;
  f.amx_int8 = ((d >> 24) & 1) && ((d >> 25) & 1) && tile_state;
#ifdef PYRT_HAVE_AMX_KERNELS  // no need to ask when this build cannot use it
  f.amx_granted = f.amx_int8 && RequestTileData();
#endif
#ifdef PYRT_EMULATED_X86_PATHS
  // The emulated test build (CMake PYRUNTIME_EMULATE_X86): its avxvnni and
  // avx512* kernels are AVX2 + FMA code, so any such CPU runs those paths.
  if (f.avx2 && f.fma) {
    f.emulated_x86 = true;
    f.avxvnni = f.avx512f = f.avx512bw = f.avx512vl = f.avx512dq = f.avx512vnni = true;
    f.avx512vbmi = true;
  }
#endif
  return f;
}
#elif defined(PYRT_ARM64)
CpuFeatures Detect() {
  CpuFeatures f;
  const unsigned long hwcap = getauxval(AT_HWCAP), hwcap2 = getauxval(AT_HWCAP2);
  f.asimd = hwcap & kHwcapAsimd;
  f.asimddp = hwcap & kHwcapAsimdDp;
  f.i8mm = hwcap2 & kHwcap2I8mm;
  return f;
}
#else
CpuFeatures Detect() { return {}; }
#endif

const CpuFeatures& Features() {
  static const CpuFeatures features = Detect();
  return features;
}

// Worst first within each architecture (CpuPaths reverses it).
constexpr Isa kAllIsas[] = {Isa::kReference, Isa::kAvx2,    Isa::kAvxVnni, Isa::kAvx512Vnni,
                            Isa::kAmx,       Isa::kNeon,    Isa::kNeonDot, Isa::kNeonI8mm};

}  // namespace

const char* IsaName(Isa isa) {
  switch (isa) {
    case Isa::kReference: return "reference";
    case Isa::kAvx2: return "avx2";
    case Isa::kAvxVnni: return "avxvnni";
    case Isa::kAvx512Vnni: return "avx512vnni";
    case Isa::kAmx: return "amx";
    case Isa::kNeon: return "neon";
    case Isa::kNeonDot: return "neondot";
    case Isa::kNeonI8mm: return "neoni8mm";
  }
  return "?";
}

bool IsaAvailable(Isa isa) {
  switch (isa) {
    case Isa::kReference: return true;
#ifdef PYRT_X86
    case Isa::kAvx2: return Features().avx2 && Features().fma;
    case Isa::kAvxVnni: return Features().avx2 && Features().fma && Features().avxvnni;
    case Isa::kAvx512Vnni: {
      const CpuFeatures& f = Features();
      return f.avx2 && f.fma && f.avx512f && f.avx512bw && f.avx512vl && f.avx512dq &&
             f.avx512vnni;
    }
    case Isa::kAmx:
#ifdef PYRT_HAVE_AMX_KERNELS
      return IsaAvailable(Isa::kAvx512Vnni) && Features().amx_granted;
#else
      return false;  // built by a compiler without AMX intrinsics
#endif
#else
    case Isa::kAvx2:
    case Isa::kAvxVnni:
    case Isa::kAvx512Vnni:
    case Isa::kAmx: return false;
#endif
#ifdef PYRT_ARM64
    case Isa::kNeon: return Features().asimd;
    case Isa::kNeonDot: return Features().asimd && Features().asimddp;
    case Isa::kNeonI8mm: return Features().asimd && Features().asimddp && Features().i8mm;
#else
    case Isa::kNeon:
    case Isa::kNeonDot:
    case Isa::kNeonI8mm: return false;
#endif
  }
  return false;
}

std::vector<Isa> CpuPaths() {
  std::vector<Isa> paths;
  for (auto it = std::rbegin(kAllIsas); it != std::rend(kAllIsas); ++it)
    if (IsaAvailable(*it)) paths.push_back(*it);
  return paths;
}

bool CpuHasAvx512Vbmi() { return Features().avx512vbmi; }

bool IsaEmulated(Isa isa) {
  return Features().emulated_x86 && (isa == Isa::kAvxVnni || isa == Isa::kAvx512Vnni);
}

Isa BestIsa() {
  static const Isa best = CpuPaths().front();
  return best;
}

Isa ResolveIsa(const char* name) {
  if (!name || !*name) return BestIsa();
  std::string known;
  for (Isa isa : kAllIsas) {
    if (std::strcmp(name, IsaName(isa)) == 0) {
      if (!IsaAvailable(isa))
        throw UsageError(StrCat("PYRUNTIME_ISA=", name, ": this CPU cannot run the ", name,
                                " kernels (detected: ", CpuFeatureSummary(), ")"));
      return isa;
    }
    known += StrCat(known.empty() ? "" : ", ", IsaName(isa));
  }
  throw UsageError(StrCat("PYRUNTIME_ISA=", name, " is not a known kernel path (known: ", known,
                          ")"));
}

Isa IsaFromEnvironment() { return ResolveIsa(std::getenv("PYRUNTIME_ISA")); }

std::string CpuFeatureSummary() {
  const CpuFeatures& f = Features();
  std::string s;
  auto add = [&](bool on, const char* name) {
    if (on) s += StrCat(s.empty() ? "" : " ", name);
  };
  add(f.avx2, "avx2");
  add(f.fma, "fma");
  add(f.avxvnni, "avxvnni");
  add(f.avx512f, "avx512f");
  add(f.avx512bw, "avx512bw");
  add(f.avx512vl, "avx512vl");
  add(f.avx512dq, "avx512dq");
  add(f.avx512vnni, "avx512vnni");
  add(f.avx512vbmi, "avx512vbmi");
  add(f.amx_int8, "amx-int8");
#ifdef PYRT_HAVE_AMX_KERNELS
  add(f.amx_int8 && !f.amx_granted, "(tile data refused by the OS)");
#else
  add(f.amx_int8, "(this build has no amx kernels)");
#endif
  add(f.asimd, "asimd");
  add(f.asimddp, "asimddp");
  add(f.i8mm, "i8mm");
  add(f.emulated_x86, "(avxvnni, avx512*: emulated on avx2 by this test build)");
  return s.empty() ? "none" : s;
}

}  // namespace pyrt
