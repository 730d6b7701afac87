#!/usr/bin/env python3
"""Gives the wasm's imports from the wasm-bindgen glue short names, in the .wasm and in the glue alike.

wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` in the module `./<out-name>_bg.js`: the hashes do not
compress, and the names sit in both the .wasm and the glue (as the keys of its imports object). binaryen's
--minify-imports only renames imports from `env`, hence this. Usage: minify_imports.py WASM GLUE_JS (both rewritten
in place). Fails, changing nothing, unless every renamed name occurs in the glue exactly once, as an object key.
"""
import re
import sys


def uleb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def put_uleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def name(data, pos):
    length, pos = uleb(data, pos)
    return data[pos : pos + length].decode(), pos + length


def put_name(s):
    raw = s.encode()
    return put_uleb(len(raw)) + raw


def limits(data, pos):
    flags = data[pos]
    pos += 1
    _, pos = uleb(data, pos)
    if flags & 1:
        _, pos = uleb(data, pos)
    return pos


def short_names():
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for a in letters:
        yield a
    for a in letters:
        for b in letters + "0123456789_$":
            yield a + b


def main(wasm_path, js_path):
    data = open(wasm_path, "rb").read()
    js = open(js_path).read()
    assert data[:8] == b"\0asm\1\0\0\0", "not a wasm module"
    pos = 8
    out = bytearray(data[:8])
    renames = {}
    module_from = module_to = None
    while pos < len(data):
        section_id = data[pos]
        size, body = uleb(data, pos + 1)
        end = body + size
        if section_id != 2:
            out += data[pos:end]
            pos = end
            continue
        count, p = uleb(data, body)
        entries = bytearray(put_uleb(count))
        fresh = short_names()
        for _ in range(count):
            module, p = name(data, p)
            field, p = name(data, p)
            desc_start = p
            kind = data[p]
            p += 1
            if kind == 0:  # function: type index
                _, p = uleb(data, p)
            elif kind == 1:  # table: reference type, limits
                p = limits(data, p + 1)
            elif kind == 2:  # memory: limits
                p = limits(data, p)
            elif kind == 3:  # global: value type, mutability
                p += 2
            elif kind == 4:  # tag: attribute, type index
                _, p = uleb(data, p + 1)
            else:
                raise SystemExit(f"import {module}.{field}: unknown kind {kind}")
            if module.startswith("./") and module.endswith("_bg.js"):
                module_from, module_to = module, "wbg"
                if field not in renames:
                    renames[field] = next(fresh)
                entries += put_name(module_to) + put_name(renames[field])
            else:
                entries += put_name(module) + put_name(field)
            entries += data[desc_start:p]
        assert p == end, "import section not read to its end"
        out.append(2)
        out += put_uleb(len(entries)) + entries
        pos = end
    if not renames:
        raise SystemExit("no wasm-bindgen imports found")
    for old, new in renames.items():
        keys = re.findall(r"\b" + re.escape(old) + r"\b", js)
        if len(keys) != 1 or not re.search(r"^\s+" + re.escape(old) + r": function\(", js, re.M):
            raise SystemExit(f"{old}: expected once in {js_path} as an imports key, found {len(keys)} times")
        js = re.sub(r"^(\s+)" + re.escape(old) + r": function\(", lambda m: m.group(1) + new + ": function(", js, flags=re.M)
    module_key = f'"{module_from}": import0'
    if js.count(module_key) != 1:
        raise SystemExit(f"{module_key!r}: expected once in {js_path}")
    js = js.replace(module_key, f'"{module_to}": import0')
    open(wasm_path, "wb").write(out)
    open(js_path, "w").write(js)


if __name__ == "__main__":
    main(*sys.argv[1:])
