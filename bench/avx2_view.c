// An AVX2 + FMA view of a newer x86 CPU, for measuring the AVX2 class on a
// machine that has more (bench/avx2_view.py preloads it): CPUID faulting
// (arch_prctl ARCH_SET_CPUID; Linux on Intel CPUs with the cpuid_fault
// flag, also inside KVM guests) turns every CPUID into SIGSEGV, and the
// handler answers with the AVX-512, AMX and AVX-VNNI bits cleared, so every
// library in the process (XNNPACK's cpuinfo, NumPy, pyruntime) picks its
// AVX2 code. Another SIGSEGV handler installed later (pytest's faulthandler:
// run pytest with -p no:faulthandler) takes the faults from it.
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <cpuid.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static void handler(int sig, siginfo_t* si, void* ctx) {
  ucontext_t* uc = (ucontext_t*)ctx;
  unsigned char* rip = (unsigned char*)uc->uc_mcontext.gregs[REG_RIP];
  if (!(rip[0] == 0x0f && rip[1] == 0xa2)) {  // a real fault: die of it
    signal(SIGSEGV, SIG_DFL);
    return;
  }
  unsigned leaf = (unsigned)uc->uc_mcontext.gregs[REG_RAX];
  unsigned sub = (unsigned)uc->uc_mcontext.gregs[REG_RCX];
  unsigned a, b, c, d;
  syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
  __cpuid_count(leaf, sub, a, b, c, d);
  syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
  if (leaf == 7 && sub == 0) {  // AVX-512 (F..VL, VBMI, VNNI, ...), AMX, AVX512-FP16
    b &= ~((1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) |
           (1u << 30) | (1u << 31));
    c &= ~((1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14));
    d &= ~((1u << 2) | (1u << 3) | (1u << 8) | (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25));
  }
  if (leaf == 7 && sub == 1) a &= ~((1u << 4) | (1u << 5));  // AVX-VNNI, AVX512-BF16
  uc->uc_mcontext.gregs[REG_RAX] = a;
  uc->uc_mcontext.gregs[REG_RBX] = b;
  uc->uc_mcontext.gregs[REG_RCX] = c;
  uc->uc_mcontext.gregs[REG_RDX] = d;
  uc->uc_mcontext.gregs[REG_RIP] += 2;
}

__attribute__((constructor)) static void init(void) {
  // Where CPUID faulting is unavailable the process keeps the real CPUID.
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, 0);
  syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
}
