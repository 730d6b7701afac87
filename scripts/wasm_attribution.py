#!/usr/bin/env python3
# Where the wasm's bytes go: code bytes per part of the crate (raw, and each part's gzip -9 alone, scaled to the
# shipped file's gzip size), from a build that keeps function names. Run through scripts/size.sh.
# Usage: wasm_attribution.py NAMED.wasm SHIPPED.wasm
import sys, zlib, gzip, re, collections
def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i
data = open(sys.argv[1], 'rb').read()
i = 8; sections = []
while i < len(data):
    sid = data[i]; i += 1; size, i = leb(data, i); sections.append((sid, i, size)); i += size
imports = 0; names = {}; bodies = []; datas = []
for sid, off, size in sections:
    b = data[off:off+size]
    if sid == 2:
        n, j = leb(b, 0)
        for _ in range(n):
            l, j = leb(b, j); j += l; l, j = leb(b, j); j += l
            kind = b[j]; j += 1
            if kind == 0:  # a function: its type index; imported functions come first in the index space
                _, j = leb(b, j); imports += 1
            elif kind in (1, 2):  # a table (element type, then limits) or a memory (limits)
                if kind == 1: j += 1
                flags, j = leb(b, j); _, j = leb(b, j)
                if flags & 1: _, j = leb(b, j)
            elif kind == 3:  # a global: value type and mutability
                j += 2
            elif kind == 4:  # a tag
                j += 1; _, j = leb(b, j)
    if sid == 10:
        n, j = leb(b, 0)
        for _ in range(n):
            l, j = leb(b, j); bodies.append(b[j:j+l]); j += l
    if sid == 11:
        datas.append(b)
    if sid == 0:
        l, j = leb(b, 0); nm = b[j:j+l].decode(); j += l
        if nm == 'name':
            while j < len(b):
                sub = b[j]; j += 1; sl, j = leb(b, j); end = j + sl
                if sub == 1:
                    n, k = leb(b, j)
                    for _ in range(n):
                        idx, k = leb(b, k); l, k = leb(b, k); names[idx] = b[k:k+l].decode('utf8', 'replace'); k += l
                j = end
groups = collections.defaultdict(list)
def group(name):
    n = name
    if n.startswith('core_') or n.startswith('verifyToken'): return 'exports (JSON in, op parsing inlined)'
    if 'shim' in n or n.startswith('__wbg') or 'wasm_bindgen' in n or n.startswith('__wbindgen') or 'js_sys' in n or 'web_sys' in n: return 'wasm-bindgen / js-sys glue and futures'
    if 'drop_in_place' in n: return 'drop glue'
    if 'talc' in n or 'alloc::alloc' in n or '__rust_alloc' in n or '__rdl' in n or 'raw_vec' in n.lower(): return 'allocator + raw_vec'
    if 'core::fmt' in n or 'panic' in n or 'fmt::' in n: return 'core::fmt + panics'
    for key, g in [('cognito_wasm::client::', 'client machine + driver'), ('cognito_wasm::wasm::', 'wasm shell (core, verify, platform, storage)'),
                   ('jwt::', 'JWT / JWKS / RSA'), ('srp::', 'SRP'), ('json::', 'JSON'), ('flow::', 'flows'),
                   ('cognito::', 'Cognito wire types'), ('session::', 'session'), ('config::', 'config'),
                   ('error::', 'errors'), ('base64', 'base64'), ('sha2', 'sha2 + hmac'), ('hmac', 'sha2 + hmac'), ('digest', 'sha2 + hmac')]:
        if key in n: return g
    return 'other core/alloc/std'
for k, body in enumerate(bodies):
    groups[group(names.get(k + imports, '?'))].append(body)
groups['data section'] = datas
stripped = open(sys.argv[2], 'rb').read()
total_gz = len(gzip.compress(stripped, 9, mtime=0))
parts = {g: (sum(map(len, bs)), len(zlib.compress(b''.join(bs), 9))) for g, bs in groups.items()}
sum_gz = sum(v[1] for v in parts.values())
print(f'| part | raw | ~gzip |\n|---|---|---|')
for g, (raw, gz) in sorted(parts.items(), key=lambda kv: -kv[1][1]):
    print(f'| {g} | {raw:,} | {gz * total_gz / sum_gz / 1000:.1f} K |')
print(f'| total (stripped file) | {len(stripped):,} | {total_gz:,} B |')
