#!/usr/bin/env bash
# Builds the extension with AddressSanitizer + UndefinedBehaviorSanitizer
# (CMake option PYRUNTIME_SANITIZE; on x86 with the AVX-512 / AVX-VNNI kernels
# emulated, see below) and runs the tests that exercise the C++ core against
# it. Any ASan report or UB aborts the process and fails the run.
#
#   tools/sanitize_tests.sh                 # the C++-heavy test files (list below)
#   tools/sanitize_tests.sh tests/test_x.py # other tests (pytest arguments)
#
# In this build the interpreter gives every arena buffer its own bytes and
# poisons 64 guard bytes after each (csrc/interpreter/interpreter.cc), so a
# kernel that overflows a tensor into its neighbour is reported.
#
# The sanitized build lives in build/sanitize and is imported from a scratch
# copy of the package, so the working tree's normal build is left alone.
# Python itself is not instrumented: the ASan runtime is LD_PRELOADed, and leak
# detection is off (CPython's interned objects would be reported).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY=${PYTHON:-python3}
CXX_BIN=${CXX:-c++}

PKG_ROOT="$(mktemp -d)"
trap 'rm -rf "$PKG_ROOT"' EXIT
cp -r pyruntime "$PKG_ROOT/"
rm -f "$PKG_ROOT"/pyruntime/_core*.so "$PKG_ROOT"/pyruntime/_testing*.so

# On x86 the avxvnni / avx512* kernels are built for AVX2 against SIMD
# Everywhere (CMake PYRUNTIME_EMULATE_X86, csrc/testing/x86_on_simde.h) and
# offered on every AVX2 CPU: their twin tests run here whatever the CPU has,
# and ASan sees each masked load and store lane by lane (the hardware's are
# not instrumented). The amx kernels stay native, where the CPU has AMX.
SANITIZE_ARGS="-DPYRUNTIME_SANITIZE=ON"
case "$(uname -m)" in x86_64|AMD64) SANITIZE_ARGS="$SANITIZE_ARGS -DPYRUNTIME_EMULATE_X86=ON";; esac
echo "== building with $SANITIZE_ARGS (build/sanitize)"
BUILD_DIR=build/sanitize DEST="$PKG_ROOT/pyruntime" CMAKE_ARGS="$SANITIZE_ARGS" \
  PYTHON="$PY" tools/dev_build.sh | tail -1

ASAN_LIB="$("$CXX_BIN" -print-file-name=libasan.so)"
[ -f "$ASAN_LIB" ] || { echo "libasan.so not found for $CXX_BIN" >&2; exit 2; }
# libstdc++ preloaded too: python does not link it, and ASan's __cxa_throw
# interceptor must find the real one at start-up, or the first C++
# exception fails an ASan CHECK.
STDCXX_LIB="$("$CXX_BIN" -print-file-name=libstdc++.so)"

if [ $# -eq 0 ]; then
  # Every file that drives C++ of ours through new code paths: the kernel
  # twins, the ops, models with control flow and state, misuse, threads and
  # the mutation fuzzer. `tools/sanitize_tests.sh tests --ignore-glob='*test_ray.py'`
  # runs the whole suite (its first run found a misaligned int64 constant read
  # and a null memcpy, both fixed; it has not yet completed on a 2-core machine
  # within CI's budget).
  set -- tests/test_api.py tests/test_misuse.py tests/test_model_validation.py \
         tests/test_planner.py tests/test_threads.py tests/test_fuzz.py tests/test_cli.py \
         tests/test_kernels_gemm.py tests/test_kernels_f32.py tests/test_kernels_softmax.py \
         tests/test_kernels_elementwise.py tests/test_ops_simple.py tests/test_valid_models.py \
         tests/test_control_flow.py tests/test_lstm.py tests/test_svdf.py tests/test_rnn.py \
         tests/test_hybrid.py tests/test_interpreter_api.py tests/test_schema_reader.py \
         tests/test_sparse_densify.py tests/test_kernels_average_pool.py \
         tests/test_kernels_channel_lut.py tests/test_kernels_sqrdiff.py tests/test_corpus_ops.py \
         tests/test_corpus_int16.py tests/test_kernels_conv_s16.py \
         tests/test_kernels_depthwise_hybrid.py tests/test_kernels_hybrid_gemm.py \
         tests/test_kernels_hybrid_quant.py tests/test_kernels_conv_indirect.py \
         tests/test_kernels_resize.py tests/test_kernels_conv_segmented.py \
         tests/test_kernels_conv_winograd.py
fi

# Tests are spread over the workers one by one (--dist worksteal, not the
# suite's loadfile): a few kernel files hold most of the time here.
echo "== pytest under ASan+UBSan: $*"
# Children (the fuzz harness's workers) inherit the environment, so they run
# sanitized too; a sanitizer abort there shows up as a crash in the test.
cd "$PKG_ROOT"
env LD_PRELOAD="$ASAN_LIB $STDCXX_LIB" \
    ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1:detect_odr_violation=0:allocator_may_return_null=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    PYRUNTIME_FUZZ_CASES_PER_SEED="${PYRUNTIME_FUZZ_CASES_PER_SEED:-700}" \
    PYRUNTIME_STRESS_SCALE="${PYRUNTIME_STRESS_SCALE:-0.1}" \
    PYTHONPATH="$PKG_ROOT" \
    "$PY" -m pytest -q -p no:cacheprovider -W ignore --rootdir "$ROOT" --dist worksteal \
      $(for t in "$@"; do case "$t" in -*) echo "$t";; *) echo "$ROOT/$t";; esac; done)
