#!/usr/bin/env python3
"""Lists the public free functions and public class members with arguments that disfer's headers
declare (outside namespace detail), one `name` per line, for the bad-input catalogue's coverage
check (test_catalogue.cpp). Heuristic C++ scan: namespace-level declarations that start a line
(`inline`, `template`, a return type) and public constructors/static members of public classes.
Usage: public_functions.py <include dir> [--check catalogue.cpp]"""
import os, re, sys

DECL = re.compile(r"^(?:DISFER_STRICT_FP_FUNCTION\s+)?(?:template\s*<[^;{]*>\s*)?(?:\[\[nodiscard\]\]\s*)?"
                  r"(?:inline\s+|constexpr\s+|static\s+)*[A-Za-z_][\w:<>,\s\*&]*?[\s\*&]([a-z_][a-z_0-9]*)\s*\(")


def public_functions(include):
    names = {}
    for root, _, files in os.walk(include):
        for f in sorted(files):
            if not f.endswith(".hpp") or "/detail" in root or f == "version.hpp":
                continue
            path = os.path.join(root, f)
            depth_detail = None
            depth = 0
            text = open(path).read()
            # drop comments and string literals
            text = re.sub(r"//[^\n]*", "", text)
            text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
            pending = ""
            for line in text.split("\n"):
                if re.match(r"\s*namespace\s+(\w+::)*detail\b", line) and depth_detail is None:
                    depth_detail = depth
                if depth_detail is None and depth <= 1:
                    m = DECL.match(pending + line if pending else line)
                    if m and not line.startswith(" ") and m.group(1) not in ("if", "for", "while", "switch", "return"):
                        args = line[line.index("(") + 1:]
                        if not args.lstrip().startswith(")"):  # only functions that take input
                            names.setdefault(m.group(1), os.path.relpath(path, include))
                    pending = line if line.startswith("template") and "(" not in line else ""
                depth += line.count("{") - line.count("}")
                if depth_detail is not None and depth <= depth_detail:
                    depth_detail = None
    return names


if __name__ == "__main__":
    names = public_functions(sys.argv[1])
    if len(sys.argv) > 3 and sys.argv[2] == "--check":
        cat = open(sys.argv[3]).read()
        covered = set(re.findall(r'\{\s*"([a-z_0-9:]+)"', cat)) | set(re.findall(r'CATALOGUE_EXEMPT\("([a-z_0-9]+)"', cat))
        covered |= {c.split("::")[0] for c in covered} | {c.split("::")[-1] for c in covered}
        missing = sorted(n for n in names if n not in covered)
        for n in missing:
            print("no catalogue row for %s (%s)" % (n, names[n]))
        print("%d public functions, %d without a catalogue row" % (len(names), len(missing)))
        sys.exit(1 if missing else 0)
    for n, f in sorted(names.items()):
        print(n, f)
