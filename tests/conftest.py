import os
import sys

_TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)


def pytest_terminal_summary(terminalreporter):
    """Names the kernel paths this run exercised natively (every test that
    compares SIMD with the reference runs on each of them)."""
    try:
        import pyruntime
    except ImportError:
        return
    terminalreporter.write_line(
        f"pyruntime kernel paths run natively: {', '.join(pyruntime.cpu_paths())}; "
        "Arm paths (neon, neondot, neoni8mm): emulated by tools/aarch64_check.sh under qemu; "
        "AVX-VNNI: GEMM kernels emulated with SIMD Everywhere (test_emulated_gemm_paths_match_reference)"
        " unless listed as native; AMX: GEMM kernels emulated on a software tile model "
        "(the [amx-emulated] kernel tests and test_emulated_gemm_paths_match_reference[amx]; need "
        "avx512vnni), native only where amx is listed above")
