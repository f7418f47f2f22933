#!/usr/bin/env bash
# In-tree development build: compiles the extension into build/dev and copies
# it next to the Python sources, so `PYTHONPATH=. python -m pytest` runs the
# working tree without reinstalling. Extra CMake flags via CMAKE_ARGS; another
# build directory / destination via BUILD_DIR / DEST (tools/sanitize_tests.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
BUILD_DIR=${BUILD_DIR:-build/dev}
DEST=${DEST:-pyruntime}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPython_EXECUTABLE="$("$PY" -c 'import sys; print(sys.executable)')" \
  -Dpybind11_DIR="$("$PY" -m pybind11 --cmakedir)" ${CMAKE_ARGS:-} > /dev/null
cmake --build "$BUILD_DIR"
cp "$BUILD_DIR"/_core*.so "$BUILD_DIR"/_testing*.so "$DEST"/
