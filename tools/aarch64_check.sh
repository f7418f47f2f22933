#!/usr/bin/env bash
# Builds the extension for Linux aarch64 and runs tests under emulation, once
# per Arm kernel path.
#
#   tools/aarch64_check.sh [--full] [--quick | --models] [pytest args...]
#
# - An arm64 Debian (bookworm: Python 3.11) is debootstrapped once into
#   $PYRUNTIME_ARM64_ROOT (default /var/cache/pyruntime/arm64-bookworm, ~4 min)
#   and its binaries run through qemu-aarch64-static registered with
#   binfmt_misc. Needs root (apt-get, mount, chroot).
# - Its Python packages (numpy, pytest, ai-edge-litert 2.3.0 for the model
#   tests) are downloaded on the host for the aarch64 platform and installed
#   inside with --no-index (pip inside the emulated system could not verify
#   TLS when tried).
# - The extension is cross-compiled on the host (aarch64-linux-gnu-g++, the
#   arm64 Python headers; the host Python runs tools/gen_schema_reader.py):
#   the emulated compiler is ~10x slower.
# - Three QEMU_CPU models: a v8.0 CPU (cortex-a72: neon only), one with
#   dotprod (cortex-a76), and `max` (dotprod + i8mm). On each, cpu_paths() must
#   name exactly its paths, the kernel twin tests compare every path it runs
#   with the reference, and the model tests run with PYRUNTIME_ISA forced to
#   each of its Arm paths.
# - --full: also `pip install .` inside the arm64 system (the compiler runs
#   emulated: slow), proving the build requirements resolve for aarch64: only
#   PyPI packages (scikit-build-core, pybind11) plus a C++17 compiler, CMake
#   and Ninja from Debian.
# - --quick: the CI subset: cpu_paths() on all three models, the kernel twin
#   tests on `max` (all three Arm paths), their path-parametrized cases
#   (-k neon) on cortex-a72 and cortex-a76, two zoo models (MobileNetV2
#   and MobileNetV3-Small, int8) on max's best path, and the float convs run
#   in bands (tests/test_fusion_conv_depthwise.py) on its neon path.
# - --models: the model bit-exactness tests only (no twin tests), on `max`,
#   once per Arm path: the zoo (public 5 int8, MobileNetV2 uint8 / float32
#   io) and the int8 real models of tests/real_models.py (MODELS_REAL).
#   Ends with a table model x path -> exact / MISMATCH / error and seconds
#   (pytest's own call time: LiteRT's reference runs plus ours, emulated).
#   LiteRT's outputs are computed once and reused by the other paths
#   (PYRUNTIME_REFERENCE_CACHE, keyed by model, inputs and machine). Not in
#   CI: ~4 minutes with LiteRT's outputs cached, ~7 the first time (README).
#
# Models come from the model cache ($PYRUNTIME_MODEL_CACHE or
# tests/.model_cache); those not cached are built with TensorFlow on the host
# first (tests/model_zoo.py), so run the x86 tests once before, or set the
# cache to one that has them.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
ROOT=${PYRUNTIME_ARM64_ROOT:-/var/cache/pyruntime/arm64-bookworm}
PY=${PYTHON:-python3}
FULL=0
QUICK=0
MODELS=0
PYTEST_ARGS=()
for arg in "$@"; do
  case "$arg" in
    --full) FULL=1 ;;
    --quick) QUICK=1 ;;
    --models) MODELS=1 ;;
    *) PYTEST_ARGS+=("$arg") ;;
  esac
done
# --models: the int8 models of tests/real_models.py issue 11 names.
MODELS_REAL=(densenet121 nasnet_mobile inception_v3 xception efficientnet_v2_b0
  mobilenet_v3_large unet transformer kws_dscnn mlp)
start=$(date +%s)
log() { echo "[aarch64_check +$(( $(date +%s) - start ))s] $*"; }

# -- host tools ---------------------------------------------------------------
need_pkgs=()
for p in qemu-user-static binfmt-support debootstrap g++-aarch64-linux-gnu; do
  dpkg -s "$p" > /dev/null 2>&1 || need_pkgs+=("$p")
done
if (( ${#need_pkgs[@]} )); then
  log "apt-get install ${need_pkgs[*]}"
  apt-get update -q > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_pkgs[@]}" > /dev/null
fi
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  update-binfmts --enable qemu-aarch64 > /dev/null 2>&1 || true
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  # The F flag: the kernel opens the interpreter now, so it also works in the chroot.
  echo ':qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-aarch64-static:F' \
    > /proc/sys/fs/binfmt_misc/register
fi
"$PY" -m pip install --quiet pybind11 ninja cmake

# -- the arm64 system -----------------------------------------------------------
if [ ! -e "$ROOT/.pyruntime-ready" ]; then
  log "debootstrap arm64 bookworm into $ROOT"
  rm -rf "$ROOT"
  mkdir -p "$(dirname "$ROOT")"
  debootstrap --arch=arm64 --variant=minbase \
    --include=python3,python3-venv,python3-dev,ca-certificates \
    bookworm "$ROOT" > "$ROOT.debootstrap.log" 2>&1 || {
      tail -20 "$ROOT.debootstrap.log"; exit 1; }
  touch "$ROOT/.pyruntime-ready"
fi
PYVER=$(chroot "$ROOT" python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
SOABI=$(chroot "$ROOT" python3 -c 'import sysconfig; print(sysconfig.get_config_var("SOABI"))')

WHEELS="$ROOT/wheels"
# Named after what it holds: a venv made for an older list is completed.
VENV_READY="$ROOT/opt/venv/.pyruntime-ready-xdist"
if [ ! -e "$VENV_READY" ]; then
  log "downloading aarch64 wheels for Python $PYVER"
  mkdir -p "$WHEELS"
  # pip matches --platform tags exactly: LiteRT 2.3.0 is manylinux_2_27.
  "$PY" -m pip download --quiet --only-binary=:all: --python-version "$PYVER" \
    --platform manylinux_2_27_aarch64 --platform manylinux_2_28_aarch64 \
    --platform manylinux_2_17_aarch64 --platform manylinux2014_aarch64 \
    --platform linux_aarch64 --platform any \
    -d "$WHEELS" numpy pytest pytest-xdist flatbuffers "ai-edge-litert==2.3.0" \
    "scikit-build-core>=0.10" "pybind11>=2.12"
  chroot "$ROOT" python3 -m venv /opt/venv
  chroot "$ROOT" /opt/venv/bin/pip install --quiet --no-index --find-links /wheels \
    numpy pytest pytest-xdist flatbuffers "ai-edge-litert==2.3.0"
  touch "$VENV_READY"
fi

# -- cross-compiled extension ---------------------------------------------------
BUILD_DIR=build/aarch64-cross
log "cross-compiling the extension (aarch64-linux-gnu-g++, $SOABI)"
mkdir -p build
cat > "$BUILD_DIR.toolchain.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
EOF
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$REPO/$BUILD_DIR.toolchain.cmake" \
  -DPython_EXECUTABLE="$("$PY" -c 'import sys; print(sys.executable)')" \
  -DPython_INCLUDE_DIR="$ROOT/usr/include/python$PYVER" \
  -DCMAKE_CXX_FLAGS="-idirafter $ROOT/usr/include" \
  -Dpybind11_DIR="$("$PY" -m pybind11 --cmakedir)" > /dev/null
cmake --build "$BUILD_DIR" > "$BUILD_DIR.log" 2>&1 || { tail -40 "$BUILD_DIR.log"; exit 1; }
# Named with the arm64 interpreter's suffix (a cross build does not know it),
# so it sits beside an x86-64 build in pyruntime/ without either importing the other.
for module in _core _testing; do
  cp "$(ls "$BUILD_DIR"/$module*.so | head -1)" "pyruntime/$module.$SOABI.so"
done

# -- tests under emulation --------------------------------------------------------
CACHE=${PYRUNTIME_MODEL_CACHE:-$REPO/tests/.model_cache}
if (( MODELS )); then
  # The arm64 system has no TensorFlow: a model missing there would fail to
  # build (and cache that failure), so build them all on the host first.
  log "models for --models (built on the host with TensorFlow where missing)"
  PYRUNTIME_MODEL_CACHE="$CACHE" "$PY" - "${MODELS_REAL[@]}" <<'EOF'
import sys
sys.path.insert(0, "tests")
import model_zoo
import real_models
for name, io in model_zoo.ZOO_VARIANTS:
    model_zoo.get_model(name, io)
for name in sys.argv[1:]:
    real_models.get_model(name, "int8")
import hybrid_models  # test_hybrid.py::test_isa_paths_agree's model
hybrid_models.edited_hybrid(hybrid_models.mixed_hybrid(batch=2), "symmetric_fc")
EOF
fi
mkdir -p "$ROOT/src" "$ROOT/cache" "$CACHE"
mounted=()
cleanup() {
  for m in "${mounted[@]}"; do umount "$m" 2> /dev/null || umount -l "$m" || true; done
  # Not left in the package directory, where a later x86-64 wheel build would pack them.
  rm -f "$REPO/pyruntime/_core.$SOABI.so" "$REPO/pyruntime/_testing.$SOABI.so"
}
trap cleanup EXIT
for spec in "$REPO:$ROOT/src" "$CACHE:$ROOT/cache" "/proc:$ROOT/proc" "/dev:$ROOT/dev"; do
  src=${spec%%:*}; dst=${spec#*:}
  mountpoint -q "$dst" || { mount --bind "$src" "$dst"; mounted+=("$dst"); }
done

REFERENCE_CACHE=
run_in_arm64() {  # run_in_arm64 QEMU_CPU ISA cmd...
  local cpu=$1 isa=$2; shift 2
  chroot "$ROOT" /usr/bin/env -i PATH=/opt/venv/bin:/usr/bin:/bin HOME=/root \
    QEMU_CPU="$cpu" PYRUNTIME_ISA="$isa" PYRUNTIME_MODEL_CACHE=/cache PYTHONPATH=/src \
    PYRUNTIME_REFERENCE_CACHE="$REFERENCE_CACHE" PYTHONDONTWRITEBYTECODE=1 \
    sh -c 'cd /src && exec "$@"' sh "$@"
}

# The kernel twin tests compare every path the CPU runs with the reference
# (parametrized inside), so they run once per CPU model; the model tests use
# the interpreter's path, so they run with PYRUNTIME_ISA forced to each.
KERNEL_TESTS=(tests/test_kernels_gemm.py tests/test_kernels_elementwise.py tests/test_kernels_f32.py
  tests/test_kernels_hybrid_gemm.py)
MODEL_TESTS=(tests/test_models.py)
declare -A EXPECTED=(
  [cortex-a72]="neon reference"
  [cortex-a76]="neondot neon reference"
  [max]="neoni8mm neondot neon reference")
results=()
status=0
run_pytest() {  # run_pytest CPU ISA tests...
  local cpu=$1 isa=$2; shift 2
  log "QEMU_CPU=$cpu PYRUNTIME_ISA=${isa:-best}: $*"
  local out rc=0
  out=$(mktemp)
  # pipefail: the pipeline fails when pytest does.
  # --dist worksteal: tests spread one by one (emulated, one kernel file
  # would otherwise hold a worker for most of the run).
  run_in_arm64 "$cpu" "$isa" python -m pytest -q -p no:cacheprovider --dist worksteal "$@" \
    "${PYTEST_ARGS[@]}" 2>&1 | tee "$out" || rc=$?
  (( rc == 0 )) || status=1
  results+=("$cpu/${isa:-best}: $(tail -1 "$out")")
  rm -f "$out"
}
if (( MODELS )); then
  # LiteRT's outputs do not depend on our path: computed on the first, reused.
  REFERENCE_CACHE=/var/cache/pyruntime-reference
  mkdir -p "$ROOT$REFERENCE_CACHE" build/aarch64-models
  paths=$(run_in_arm64 max "" python -c 'import pyruntime; print(" ".join(pyruntime.cpu_paths()))')
  real=$(printf ' or %s-int8' "${MODELS_REAL[@]}")
  tables=()
  for isa in $paths; do
    [ "$isa" = reference ] && continue
    tables+=("build/aarch64-models/$isa.xml")
    rm -f "build/aarch64-models/$isa.xml"
    run_pytest max "$isa" "${MODEL_TESTS[@]}" tests/test_real_models.py \
      -k "test_zoo_model_is_bit_exact or (test_real_model and (${real# or }))" \
      --junitxml="/src/build/aarch64-models/$isa.xml"
  done
  # Dynamic-range models: LiteRT's aarch64 builtin hybrid kernels differ from
  # its x86-64 ones (docs/reference_semantics.md), so here only our paths are
  # compared with each other (each one's hybrid GEMM on a whole model).
  run_pytest max "" tests/test_hybrid.py -k test_isa_paths_agree
  log "done in $(( $(date +%s) - start ))s"
  "$PY" tools/junit_table.py "${tables[@]}"
  printf '%s\n' "${results[@]}"
  exit $status
fi
for cpu in cortex-a72 cortex-a76 max; do
  paths=$(run_in_arm64 "$cpu" "" python -c 'import pyruntime; print(" ".join(pyruntime.cpu_paths()))')
  log "QEMU_CPU=$cpu: cpu_paths() = $paths"
  if [ "$paths" != "${EXPECTED[$cpu]}" ]; then
    echo "FAILED: QEMU_CPU=$cpu should give paths '${EXPECTED[$cpu]}'"
    results+=("$cpu: 0 passed, 1 failed (cpu_paths)")
    status=1
  fi
  if (( QUICK )) && [ "$cpu" != max ]; then
    # The path-parametrized twin tests only: the CPU without dotprod (and
    # the one without i8mm) proves its paths' kernels, including the shared
    # ARMv8.0 ones, use nothing it lacks.
    run_pytest "$cpu" "" "${KERNEL_TESTS[@]}" -k neon
    continue
  fi
  run_pytest "$cpu" "" "${KERNEL_TESTS[@]}"
  if (( QUICK )); then
    run_pytest "$cpu" "${paths%% *}" "${MODEL_TESTS[@]}" -k "mobilenet_v2-int8 or mobilenet_v3_small-int8"
    # Float convs in bands (the NEON depthwise on a shifted window).
    run_pytest "$cpu" "" tests/test_fusion_conv_depthwise.py -k neon
  else
    for isa in $paths; do
      [ "$isa" = reference ] || run_pytest "$cpu" "$isa" "${MODEL_TESTS[@]}"
    done
  fi
done

if (( FULL )); then
  # The build needs no FlatBuffers package: the schema accessors are generated
  # by tools/gen_schema_reader.py (pure Python). Build requirements come from
  # the wheels downloaded above (pip's isolated build env, --no-index); the
  # compiler, CMake and Ninja from Debian.
  log "pip install . inside the arm64 system (emulated compiler)"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  chroot "$ROOT" sh -c 'dpkg -s g++ cmake ninja-build > /dev/null 2>&1 || {
      apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        g++ cmake ninja-build > /dev/null; }'
  rm -rf "$ROOT/tmp/pyruntime-src"
  mkdir -p "$ROOT/tmp/pyruntime-src"
  git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$ROOT/tmp/pyruntime-src"
  full_start=$(date +%s)
  if run_in_arm64 max "" sh -c 'cd /tmp/pyruntime-src && python -m venv /tmp/pipvenv &&
        /tmp/pipvenv/bin/pip install --quiet --no-index --find-links /wheels . &&
        cd / && /tmp/pipvenv/bin/python -c "import pyruntime; print(pyruntime.cpu_paths())"'; then
    log "pip install . in the arm64 system: ok in $(( $(date +%s) - full_start ))s"
    results+=("pip install . (arm64, emulated): 1 passed, 0 failed")
  else
    results+=("pip install . (arm64, emulated): 0 passed, 1 failed")
    status=1
  fi
fi

log "done in $(( $(date +%s) - start ))s"
printf '%s\n' "${results[@]}"
# One closing summary over every run.
passed=0 failed=0
for r in "${results[@]}"; do
  p=$(echo "$r" | grep -o '[0-9]* passed' | grep -o '[0-9]*' || true)
  f=$(echo "$r" | grep -o '[0-9]* failed' | grep -o '[0-9]*' || true)
  passed=$(( passed + ${p:-0} )); failed=$(( failed + ${f:-0} ))
done
echo "aarch64: $passed passed, $failed failed"
exit $status
