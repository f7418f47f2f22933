#!/usr/bin/env python3
"""Generates bounds-checked C++ read accessors from a FlatBuffers schema.

    python tools/gen_schema_reader.py SCHEMA.fbs OUTPUT.h

Replaces `flatc --cpp` + flatbuffers' Verifier for pyruntime: the build needs
only Python (stdlib) and a C++17 compiler, on every platform. The generated
classes read through csrc/model/flatbuffer_reader.h, which checks every
offset, vtable and length against the buffer as it is read and throws
pyrt::ModelError naming the field; nothing is trusted, nothing is read
before it is checked.

Understood: `namespace`, `file_identifier`, `root_type`, `enum` (integer
base types), `union` (table members, explicit or implicit values), `table`
with scalar, enum, string, table, union and vector-of-scalar/table fields,
scalar/enum defaults, the `deprecated` attribute, `//` and `/* */` comments.
Anything else (structs, `id:` attributes, vectors of strings or unions,
includes, ...) is an error, so the reader never silently misreads a slot.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

# FlatBuffers scalar type -> (C++ type, size in bytes).
SCALARS: Dict[str, Tuple[str, int]] = {
    "bool": ("bool", 1),
    "byte": ("int8_t", 1), "int8": ("int8_t", 1),
    "ubyte": ("uint8_t", 1), "uint8": ("uint8_t", 1),
    "short": ("int16_t", 2), "int16": ("int16_t", 2),
    "ushort": ("uint16_t", 2), "uint16": ("uint16_t", 2),
    "int": ("int32_t", 4), "int32": ("int32_t", 4),
    "uint": ("uint32_t", 4), "uint32": ("uint32_t", 4),
    "long": ("int64_t", 8), "int64": ("int64_t", 8),
    "ulong": ("uint64_t", 8), "uint64": ("uint64_t", 8),
    "float": ("float", 4), "float32": ("float", 4),
    "double": ("double", 8), "float64": ("double", 8),
}
INTEGER_SCALARS = {k for k, (c, _) in SCALARS.items() if c not in ("bool", "float", "double")}


class SchemaError(Exception):
    pass


@dataclass
class Enum:
    name: str
    base: str
    values: List[Tuple[str, int]]
    is_union: bool = False


@dataclass
class Field:
    name: str
    type: str            # as written: "int", "[int]", "Tensor", "string", ...
    default: Optional[str]
    deprecated: bool
    slot: int = 0        # vtable slot; a union takes two (type, then value)


@dataclass
class Table:
    name: str
    fields: List[Field] = field(default_factory=list)


@dataclass
class Schema:
    namespace: List[str] = field(default_factory=list)
    enums: Dict[str, Enum] = field(default_factory=dict)
    tables: Dict[str, Table] = field(default_factory=dict)
    order: List[str] = field(default_factory=list)   # declaration order of enums and tables
    file_identifier: Optional[str] = None
    root_type: Optional[str] = None


TOKEN = re.compile(r'\s*(?:(?P<str>"[^"\n]*")|(?P<num>[-+]?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?))'
                   r"|(?P<id>[A-Za-z_][A-Za-z0-9_.]*)|(?P<sym>[{}()\[\]:;,=]))")


def tokenize(text: str) -> List[Tuple[str, int]]:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    tokens = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.split("//", 1)[0]
        pos = 0
        while pos < len(line):
            if line[pos:].strip() == "":
                break
            m = TOKEN.match(line, pos)
            if not m or m.end() == pos:
                raise SchemaError(f"line {lineno}: unexpected text {line[pos:].strip()[:20]!r}")
            tokens.append((m.group(m.lastgroup), lineno))
            pos = m.end()
    return tokens


class Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0
        self.schema = Schema()

    def peek(self) -> Optional[str]:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def line(self) -> int:
        return self.tokens[min(self.i, len(self.tokens) - 1)][1] if self.tokens else 0

    def take(self, expected: Optional[str] = None) -> str:
        if self.i >= len(self.tokens):
            raise SchemaError(f"unexpected end of schema (expected {expected or 'more'})")
        tok = self.tokens[self.i][0]
        if expected is not None and tok != expected:
            raise SchemaError(f"line {self.line()}: expected {expected!r}, found {tok!r}")
        self.i += 1
        return tok

    def ident(self) -> str:
        tok = self.take()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", tok):
            raise SchemaError(f"line {self.line()}: expected a name, found {tok!r}")
        return tok

    def parse(self) -> Schema:
        while self.peek() is not None:
            kw = self.take()
            if kw == "namespace":
                self.schema.namespace = self.take().split(".")
                self.take(";")
            elif kw == "file_identifier":
                ident = self.take()
                if not (ident.startswith('"') and len(ident) == 6):
                    raise SchemaError(f"line {self.line()}: file_identifier must be 4 characters")
                self.schema.file_identifier = ident[1:-1]
                self.take(";")
            elif kw == "root_type":
                self.schema.root_type = self.ident()
                self.take(";")
            elif kw == "enum":
                self.parse_enum()
            elif kw == "union":
                self.parse_union()
            elif kw == "table":
                self.parse_table()
            else:
                raise SchemaError(f"line {self.line()}: {kw!r} is not supported by this generator")
        return self.schema

    def declare(self, name: str) -> None:
        if name in self.schema.enums or name in self.schema.tables or name in SCALARS:
            raise SchemaError(f"line {self.line()}: {name} declared twice")
        self.schema.order.append(name)

    def parse_enum(self) -> None:
        name = self.ident()
        self.take(":")
        base = self.take()
        if base not in INTEGER_SCALARS:
            raise SchemaError(f"line {self.line()}: enum {name}: base type {base} is not an integer type")
        self.declare(name)
        self.schema.enums[name] = Enum(name, base, self.enum_body(name))

    def parse_union(self) -> None:
        name = self.ident()
        self.declare(name)
        values = self.enum_body(name, first=1)
        if any(n == "NONE" for n, _ in values) or any(v <= 0 or v > 255 for _, v in values):
            raise SchemaError(f"union {name}: members must be named tables with values 1..255")
        self.schema.enums[name] = Enum(name, "ubyte", [("NONE", 0)] + values, is_union=True)

    def enum_body(self, name: str, first: int = 0) -> List[Tuple[str, int]]:
        self.take("{")
        values: List[Tuple[str, int]] = []
        nxt = first
        while self.peek() != "}":
            member = self.ident()
            if self.peek() == "=":
                self.take("=")
                nxt = int(self.take(), 0)
            if any(member == n for n, _ in values) or any(nxt == v for _, v in values):
                raise SchemaError(f"line {self.line()}: {name}.{member}: duplicate name or value")
            values.append((member, nxt))
            nxt += 1
            if self.peek() == ",":
                self.take(",")
            elif self.peek() != "}":
                raise SchemaError(f"line {self.line()}: {name}: expected ',' or '}}'")
        self.take("}")
        if not values:
            raise SchemaError(f"{name}: no members")
        return values

    def parse_table(self) -> None:
        name = self.ident()
        self.declare(name)
        table = Table(name)
        self.take("{")
        while self.peek() != "}":
            fname = self.ident()
            self.take(":")
            if self.peek() == "[":
                self.take("[")
                ftype = "[" + self.ident() + "]"
                self.take("]")
            else:
                ftype = self.ident()
            default = None
            deprecated = False
            # `= default` and `(attributes)` in either order.
            for _ in range(2):
                if self.peek() == "=":
                    self.take("=")
                    default = self.take()
                elif self.peek() == "(":
                    self.take("(")
                    while self.peek() != ")":
                        attr = self.ident()
                        if attr != "deprecated":
                            raise SchemaError(f"line {self.line()}: {name}.{fname}: attribute "
                                              f"{attr!r} is not supported by this generator")
                        deprecated = True
                        if self.peek() == ",":
                            self.take(",")
                    self.take(")")
            self.take(";")
            if any(f.name == fname for f in table.fields):
                raise SchemaError(f"line {self.line()}: {name}.{fname} declared twice")
            table.fields.append(Field(fname, ftype, default, deprecated))
        self.take("}")
        self.schema.tables[name] = table


def check_and_assign_slots(schema: Schema) -> None:
    if schema.root_type not in schema.tables:
        raise SchemaError(f"root_type {schema.root_type!r} is not a table of the schema")
    for ename, enum in schema.enums.items():
        if enum.is_union:
            for member, _ in enum.values[1:]:
                if member not in schema.tables:
                    raise SchemaError(f"union {ename}: member {member} is not a table")
        else:
            cpp, size = SCALARS[enum.base]
            lo, hi = (0, 2 ** (8 * size) - 1) if cpp.startswith("u") else (-(2 ** (8 * size - 1)), 2 ** (8 * size - 1) - 1)
            for member, value in enum.values:
                if not lo <= value <= hi:
                    raise SchemaError(f"enum {ename}.{member} = {value} does not fit {enum.base}")
    for table in schema.tables.values():
        slot = 0
        for f in table.fields:
            f.slot = slot
            base = f.type.strip("[]")
            is_vector = f.type.startswith("[")
            known = base in SCALARS or base in schema.tables or base in schema.enums or base == "string"
            if not known:
                raise SchemaError(f"{table.name}.{f.name}: unknown type {base}")
            union = base in schema.enums and schema.enums[base].is_union
            if is_vector and (base == "string" or union or (base in schema.enums and not union)):
                raise SchemaError(f"{table.name}.{f.name}: vectors of {base} are not supported")
            if f.default is not None and (is_vector or base == "string" or base in schema.tables or union):
                raise SchemaError(f"{table.name}.{f.name}: only scalars and enums take a default")
            if f.default is not None and base in schema.enums:
                if f.default not in dict(schema.enums[base].values):
                    try:
                        int(f.default, 0)
                    except ValueError:
                        raise SchemaError(f"{table.name}.{f.name}: default {f.default} is not a "
                                          f"member of {base}") from None
            slot += 2 if union else 1
        if slot > 32000:
            raise SchemaError(f"{table.name}: too many fields")


def voffset(slot: int) -> int:
    return 4 + 2 * slot


def cpp_default(schema: Schema, f: Field) -> str:
    base = f.type
    if base in schema.enums:
        enum = schema.enums[base]
        if f.default is None:
            return "0"
        values = dict(enum.values)
        return str(values[f.default]) if f.default in values else str(int(f.default, 0))
    cpp, _ = SCALARS[base]
    if f.default is None:
        return "false" if cpp == "bool" else "0"
    if cpp == "bool":
        if f.default not in ("true", "false", "0", "1"):
            raise SchemaError(f"{f.name}: bad bool default {f.default}")
        return "true" if f.default in ("true", "1") else "false"
    if cpp in ("float", "double"):
        value = float(f.default)
        return repr(value) + ("f" if cpp == "float" else "")
    return str(int(f.default, 0)) + ("LL" if SCALARS[base][1] == 8 and not cpp.startswith("u") else
                                     "ULL" if SCALARS[base][1] == 8 else "")


def verify_body(schema: Schema, table: Table) -> str:
    """Verify(): reads each declared field once (every accessor checks what it
    reads) and recurses into tables, vectors of tables and known union members."""
    lines = [f"inline void {table.name}::Verify(int depth) const {{",
             f'  Enter(depth, "{table.name}");']
    for f in table.fields:
        if f.deprecated:
            continue
        base = f.type.strip("[]")
        if f.type.startswith("[") and base in schema.tables:
            lines.append(f'  VerifyEach({f.name}(), depth + 1, "{table.name}.{f.name}");')
        elif base in schema.tables:
            lines.append(f"  if (const {base} t = {f.name}()) t.Verify(depth + 1);")
        elif base in schema.enums and schema.enums[base].is_union:
            # Members this schema does not declare are never read, so not verified.
            lines.append(f"  switch ({f.name}_type()) {{")
            for member, _ in schema.enums[base].values[1:]:
                lines.append(f"    case {base}::{member}:")
                lines.append(f"      if (const {member} t = {f.name}_as_{member}()) t.Verify(depth + 1);")
                lines.append("      break;")
            lines += ["    default:", "      break;", "  }"]
        else:
            lines.append(f"  (void){f.name}();")
    lines.append("}")
    return "\n".join(lines)


def generate(schema: Schema, source_name: str) -> str:
    ns_open = "".join(f"namespace {n} {{\n" for n in schema.namespace)
    ns_close = "".join(f"}}  // namespace {n}\n" for n in reversed(schema.namespace))
    fb = "::pyrt::fbs"
    out: List[str] = [
        f"// Generated by tools/gen_schema_reader.py from {source_name}. Do not edit.",
        "// Every accessor checks the bytes it reads (csrc/model/flatbuffer_reader.h).",
        "#pragma once",
        "",
        "#include <cstdint>",
        "",
        '#include "model/flatbuffer_reader.h"',
        "",
        ns_open,
    ]
    for name in schema.order:
        if name in schema.enums:
            enum = schema.enums[name]
            cpp = SCALARS[enum.base][0]
            out.append(f"enum class {name} : {cpp} {{")
            out += [f"  {member} = {value}," for member, value in enum.values]
            out.append("};")
            out.append("")
    for name in schema.tables:
        out.append(f"class {name};")
    out.append("")

    bodies: List[str] = []
    for table in schema.tables.values():
        t = table.name
        out += [f"class {t} : public {fb}::Table {{",
                " public:",
                f"  {t}() = default;",
                f"  {t}(const {fb}::Source* src, uint64_t pos, const char* what) : Table(src, pos, what) {{}}",
                f"  const {t}* operator->() const {{ return this; }}"]
        for f in table.fields:
            if f.deprecated:
                continue
            vo = voffset(f.slot)
            label = f'"{t}.{f.name}"'
            is_vector = f.type.startswith("[")
            base = f.type.strip("[]")
            if is_vector and base in SCALARS:
                cpp = SCALARS[base][0]
                ret, body = f"{fb}::Vector<{cpp}>", f"return VectorField<{cpp}>({vo}, {label});"
            elif is_vector:
                ret, body = f"{fb}::TableVector<{base}>", f"return TableVectorField<{base}>({vo}, {label});"
            elif base == "string":
                ret, body = f"{fb}::String", f"return StringField({vo}, {label});"
            elif base in schema.tables:
                ret, body = base, f"return TableField<{base}>({vo}, {label});"
            elif base in schema.enums and schema.enums[base].is_union:
                enum = schema.enums[base]
                out.append(f"  {base} {f.name}_type() const;")
                bodies.append(f"inline {base} {t}::{f.name}_type() const {{\n"
                              f"  return static_cast<{base}>(Scalar<uint8_t>({vo}, 0, \"{t}.{f.name}_type\"));\n}}")
                for member, _ in enum.values[1:]:
                    out.append(f"  {member} {f.name}_as_{member}() const;")
                    bodies.append(
                        f"inline {member} {t}::{f.name}_as_{member}() const {{\n"
                        f"  if ({f.name}_type() != {base}::{member}) return {member}();\n"
                        f"  return TableField<{member}>({vo + 2}, {label});\n}}")
                continue
            elif base in schema.enums:
                cpp = SCALARS[schema.enums[base].base][0]
                ret = base
                body = f"return static_cast<{base}>(Scalar<{cpp}>({vo}, {cpp_default(schema, f)}, {label}));"
            else:
                cpp = SCALARS[base][0]
                ret, body = cpp, f"return Scalar<{cpp}>({vo}, {cpp_default(schema, f)}, {label});"
            out.append(f"  {ret} {f.name}() const;")
            bodies.append(f"inline {ret} {t}::{f.name}() const {{ {body} }}")
        out.append("  // Checks every field this schema declares, nested tables included, as")
        out.append("  // flatbuffers' Verifier does; throws ModelError naming the first bad one.")
        out.append("  void Verify(int depth) const;")
        out += ["};", ""]
        bodies.append(verify_body(schema, table))
    out += bodies
    out.append("")
    root = schema.root_type
    out.append(f"// The root {root} of the buffer; throws ModelError when the root offset")
    out.append("// or the root table's header is out of bounds.")
    out.append(f"inline {root} Get{root}(const {fb}::Source* src) {{ return {fb}::Root<{root}>(src, \"{root}\"); }}")
    out.append(f"// The whole buffer checked once, before anything is read from it.")
    out.append(f"inline void Verify{root}(const {fb}::Source* src) {{ Get{root}(src).Verify(1); }}")
    if schema.file_identifier:
        out.append(f'inline const char* {root}Identifier() {{ return "{schema.file_identifier}"; }}')
    out.append("")
    out.append(ns_close)
    return "\n".join(out)


def main(argv: List[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    src, dst = Path(argv[1]), Path(argv[2])
    try:
        schema = Parser(src.read_text()).parse()
        check_and_assign_slots(schema)
        text = generate(schema, src.name)
    except SchemaError as e:
        print(f"{src}: {e}", file=sys.stderr)
        return 1
    dst.parent.mkdir(parents=True, exist_ok=True)
    # Rewritten only when changed, so an unchanged schema recompiles nothing.
    if not dst.exists() or dst.read_text() != text:
        dst.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
