import os
import sys

_TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)


def pytest_terminal_summary(terminalreporter):
    """Names the kernel paths this run exercised, natively or emulated (every
    test that compares SIMD with the reference runs on each of them)."""
    try:
        import pyruntime
        from pyruntime import _testing
    except ImportError:
        return
    emulated = _testing.emulated_isas()
    native = [p for p in pyruntime.cpu_paths() if p not in emulated]
    terminalreporter.write_line(
        f"pyruntime kernel paths run natively: {', '.join(native)}; "
        f"emulated by this build: {', '.join(emulated) or 'none'}. "
        "Elsewhere: avxvnni / avx512vnni kernels emulated with SIMD Everywhere by "
        "tools/sanitize_tests.sh (the PYRUNTIME_EMULATE_X86 build, under ASan); Arm paths (neon, "
        "neondot, neoni8mm) under qemu by tools/aarch64_check.sh; AMX GEMM kernels on a software "
        "tile model (the [amx-emulated] kernel tests), native only where amx is listed above")
