#!/usr/bin/env bash
# In-tree development build: compiles the extension into build/dev and copies
# it next to the Python sources, so `PYTHONPATH=. python -m pytest` runs the
# working tree without reinstalling. Extra CMake flags via CMAKE_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
cmake -S . -B build/dev -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPython_EXECUTABLE="$("$PY" -c 'import sys; print(sys.executable)')" \
  -Dpybind11_DIR="$("$PY" -m pybind11 --cmakedir)" ${CMAKE_ARGS:-} > /dev/null
cmake --build build/dev
cp build/dev/_core*.so pyruntime/
