#!/usr/bin/env python3
"""Count public declarations in Sources/ and those with a `///` doc comment directly above.

A declaration is a line whose first keyword (after attributes such as `@inlinable` or `@_specialize(...)`,
and other modifiers) is `public` or `open`. It counts as documented when the nearest line above it that is
not an attribute (`@...`), a blank-free continuation of an attribute, or a plain `//` comment is a `///`
line (so a one-line reason comment beside an `@_specialize` may sit between the doc comment and the
declaration). `public import` lines and `public` extensions that only add conformances are not
declarations of new API and are skipped; every member inside them is still counted.

Usage: scripts/doc-coverage.py [--list] [--per-module] [ROOT]   (ROOT defaults to the repository root)
Mirrors Tests/NNExperimentsTests/DocCoverageTests.swift, which fails on any undocumented declaration.
"""
import os
import re
import sys

DECL = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:final|static|class|override|nonisolated|mutating|'
                  r'nonmutating|indirect|convenience|required|lazy|weak|dynamic|@\w+)\s+)*(public|open)\b'
                  r'(?!\s*import\b)')
EXT_ONLY = re.compile(r'^\s*(public|open)\s+extension\b')
ATTR = re.compile(r'^\s*@')


def declarations(path):
    """Yields (line number, text, documented) for each public declaration in one Swift file."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    for i, line in enumerate(lines):
        if not DECL.match(line) or EXT_ONLY.match(line):
            continue
        if line.lstrip().startswith('//'):
            continue
        j = i - 1
        while j >= 0:
            s = lines[j].strip()
            if s.startswith('///'):
                break
            if (ATTR.match(lines[j]) and not DECL.match(lines[j])) or (s.startswith('//') and not s.startswith('///')):
                j -= 1
                continue
            break
        documented = j >= 0 and lines[j].strip().startswith('///')
        yield i + 1, line.strip(), documented


def main(argv):
    args = [a for a in argv if not a.startswith('--')]
    root = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    sources = os.path.join(root, 'Sources')
    per_module = {}
    missing = []
    for dirpath, _, files in sorted(os.walk(sources)):
        for name in sorted(files):
            if not name.endswith('.swift'):
                continue
            path = os.path.join(dirpath, name)
            module = os.path.relpath(path, sources).split(os.sep)[0]
            total, doc = per_module.get(module, (0, 0))
            for number, text, documented in declarations(path):
                total += 1
                doc += documented
                if not documented:
                    missing.append(f'{os.path.relpath(path, root)}:{number}: {text}')
            per_module[module] = (total, doc)
    if '--list' in argv:
        print('\n'.join(missing))
    if '--per-module' in argv:
        for module, (total, doc) in sorted(per_module.items()):
            print(f'{module:15} {doc:5} / {total:5} documented ({100 * doc / max(total, 1):.0f} %)')
    total = sum(t for t, _ in per_module.values())
    doc = sum(d for _, d in per_module.values())
    print(f'public declarations: {total}, with a /// comment: {doc}, without: {total - doc}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
