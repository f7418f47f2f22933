"""Full-size int8 variants of the wider zoo, for benchmarks only.

tests/real_models.py keeps its inputs small (64x64, 16 tokens) so CI stays
fast; issue 13 measures the zoo at the sizes people run: keras.applications
at their default input (224, InceptionV3 / Xception 299) and the transformer
encoder at 64 tokens. Same recipe as real_models (seeded, BN calibrated,
int8 I/O), cached under CACHE_DIR/bench.

    python bench/zoo_models.py densenet121 transformer   # build (prints paths)
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import model_zoo  # noqa: E402
import real_models  # noqa: E402

SIZES = {"densenet121": 224, "inception_v3": 299, "xception": 299, "efficientnet_v2_b0": 224,
         "mobilenet_v3_large": 224, "nasnet_mobile": 224, "convnext_tiny": 224}
TRANSFORMER_TOKENS = 64


def model_path(name: str) -> Path:
    size = TRANSFORMER_TOKENS if name == "transformer" else SIZES[name]
    return model_zoo.CACHE_DIR / "bench" / f"{name}_{size}_int8_v{model_zoo.ZOO_VERSION}.{real_models.VERSION}.tflite"


def _build(name: str) -> bytes:
    saved_app, saved_custom = real_models.APPS.get(name), real_models.CUSTOM.get(name)
    try:
        if name == "transformer":
            real_models.CUSTOM[name] = functools.partial(real_models._transformer, tokens=TRANSFORMER_TOKENS)
        else:
            ctor, _, kwargs = real_models.APPS[name]
            real_models.APPS[name] = (ctor, SIZES[name], kwargs)
        real_models._KERAS.clear()
        return real_models._convert(name, "int8")
    finally:
        real_models._KERAS.clear()
        if saved_app is not None:
            real_models.APPS[name] = saved_app
        if saved_custom is not None:
            real_models.CUSTOM[name] = saved_custom


def get_model(name: str) -> Path:
    return model_zoo.cached_build(model_path(name), lambda: _build(name))


if __name__ == "__main__":
    for n in sys.argv[1:]:
        print(get_model(n), flush=True)
