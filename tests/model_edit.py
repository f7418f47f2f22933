"""Edit .tflite files through the flatbuffers object API that LiteRT ships."""

from __future__ import annotations

from typing import Callable

import flatbuffers
from ai_edge_litert import schema_py_generated as schema


def load(data: bytes) -> "schema.ModelT":
    return schema.ModelT.InitFromPackedBuf(bytearray(data), 0)


def dump(model: "schema.ModelT") -> bytes:
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def edited(data: bytes, edit: Callable[["schema.ModelT"], None]) -> bytes:
    """A copy of model bytes with `edit` applied to its object tree."""
    model = load(data)
    edit(model)
    return dump(model)


BuiltinOperator = schema.BuiltinOperator
