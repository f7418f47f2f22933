"""Run a command on an AVX2 + FMA view of this x86 CPU.

Builds bench/avx2_view.c (needs a C compiler) and runs the command with it
preloaded: CPUID then reports no AVX-512, AMX or AVX-VNNI, so pyruntime
(cpu_paths() == ['avx2', 'reference']), XNNPACK and NumPy all take their
AVX2 code. It measures the AVX2 class of kernels on a newer CPU, not an
AVX2-only CPU's microarchitecture (a Zen 3 has other latencies and caches).

    python bench/avx2_view.py python bench/kinds_bench.py --cpu-time --pin-cpu 0
    python bench/avx2_view.py python -m pytest -p no:faulthandler tests

Linux x86-64 only, on CPUs with CPUID faulting (Intel; the cpuid_fault flag
in /proc/cpuinfo). The command's exit status is returned.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def build() -> Path:
    src = Path(__file__).with_suffix(".c")
    lib = Path(tempfile.gettempdir()) / f"pyruntime_avx2_view_{os.getuid()}.so"
    if not lib.exists() or lib.stat().st_mtime < src.stat().st_mtime:
        cc = os.environ.get("CC", "cc")
        subprocess.run([cc, "-O2", "-shared", "-fPIC", str(src), "-o", str(lib)], check=True)
    return lib


def main() -> int:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if "cpuid_fault" not in Path("/proc/cpuinfo").read_text():
        sys.exit("avx2_view: this CPU has no CPUID faulting (cpuid_fault), so CPUID cannot be masked")
    env = dict(os.environ, LD_PRELOAD=str(build()))
    return subprocess.run(sys.argv[1:], env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
