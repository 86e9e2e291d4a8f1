#!/usr/bin/python3
"""Writes include/disfer/report/detail/dejavu_metrics.hpp, the font metrics the SVG figures are laid
out with (report/svg.hpp: detail::svg::text_width), and tests/report/reference/text_widths.json, the
widths of a few strings as fontTools reads them from the font, which tests/report/test_svg.cpp checks
text_width against.

From DejaVu Sans and DejaVu Sans Bold (Debian fonts-dejavu-core): units per em, hhea ascender and
descender, the advance width of every character a figure can show (printable ASCII, Latin-1, the
Greek letters and punctuation of CHARACTERS below), a fallback advance (one em) for any other
character, the Latin ligatures of the font's GSUB 'liga' feature (ff fi fl ffi ffl; HarfBuzz, so
Chromium, applies them by default) and the pair kerning of its GPOS 'kern' feature between those
characters (HarfBuzz applies it by default too). Not modelled: other GSUB/GPOS features, hinting
(SVG text is laid out unhinted at fractional sizes), fallback fonts.

Run:  python3 scripts/generate_font_metrics.py            (rewrites both files)
      python3 scripts/generate_font_metrics.py --check    (exit 1 when either committed file differs
                                                           from a fresh run, 77 when fontTools or a
                                                           font file is missing; a ctest)
Needs python3-fonttools and fonts-dejavu-core (bash scripts/setup.sh installs both)."""
import argparse
import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
HEADER = ROOT / "include/disfer/report/detail/dejavu_metrics.hpp"
REFERENCE = ROOT / "tests/report/reference/text_widths.json"
FONT_DIR = pathlib.Path("/usr/share/fonts/truetype/dejavu")
FACES = [("sans", "DejaVuSans.ttf"), ("sans_bold", "DejaVuSans-Bold.ttf")]

# Printable ASCII, Latin-1 (no C1 controls), and what the figures or a user's labels plausibly show.
CHARACTERS = (
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x100)]
    + list("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρστυφχψω")  # Greek (kappa, alpha, chi, sigma, ...)
    + list("\u2013\u2014\u2018\u2019\u201c\u201d\u2020\u2022\u2026\u2030\u2032\u2033\u2190\u2192\u2212"
           "\u2248\u2260\u2264\u2265\u221a\u221e\u2202\u2211\u00d7")
)

# Strings the unit test measures (text, font size, bold), with the reason each is there.
CASES = [
    ("Humans", 10, False, "plain ASCII"),
    ("fine-tuned DeepFace (GB 1.4)", 10, False, "the fi ligature, parentheses, digits"),
    ("Figure 4: off-diagonal error correlation with the humans per condition (95% Fisher-z intervals)", 15,
     True, "today's Figure 4 title, bold"),
    ("AVATAR Ty. We'll", 13, True, "kerned pairs (AV, VA, AT, Ty, We)"),
    ("Fleiss' κ ± 0.05 – α × 3…", 11, False, "Greek and punctuation outside Latin-1"),
    ("Ünïcödé façade naïve", 12, False, "Latin-1 accents (two-byte UTF-8)"),
    ("office affluent", 9, False, "ffi and ffl ligatures"),
    ("漢字", 10, False, "characters outside the table: one em each"),
]


def die(code, msg):
    print(msg)
    sys.exit(code)


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Face:
    def __init__(self, path):
        from fontTools.ttLib import TTFont

        self.path = path
        self.font = TTFont(str(path))
        self.cmap = self.font.getBestCmap()
        self.glyphs = self.font.getGlyphSet()
        self.upem = self.font["head"].unitsPerEm
        self.version = self.font["name"].getDebugName(5)
        self.ascender = self.font["hhea"].ascent
        self.descender = self.font["hhea"].descent
        self.ligatures = self._ligatures()
        self._kern_lookups = self._feature_lookups("GPOS", "kern")

    def _feature_lookups(self, table, tag):
        t = self.font[table].table
        found = set()
        for rec in t.FeatureList.FeatureRecord:
            if rec.FeatureTag == tag:
                found.update(rec.Feature.LookupListIndex)
        lookups = []
        for i in sorted(found):  # HarfBuzz applies a feature's lookups in lookup-list order
            lookup = t.LookupList.Lookup[i]
            subs = []
            for st in lookup.SubTable:
                if lookup.LookupType in (7, 9):  # extension
                    st = st.ExtSubTable
                subs.append(st)
            lookups.append(subs)
        return lookups

    def _ligatures(self):
        """(component glyph names, ligature glyph name) of GSUB 'liga', longest first."""
        out = []
        for subs in self._feature_lookups("GSUB", "liga"):
            for st in subs:
                if not hasattr(st, "ligatures"):
                    continue
                for first, ligs in st.ligatures.items():
                    for lig in ligs:
                        out.append(((first,) + tuple(lig.Component), lig.LigGlyph))
        latin = {g for c, g in self.cmap.items() if c < 0x250}
        out = [(seq, g) for seq, g in out if all(s in latin for s in seq)]
        return sorted(out, key=lambda x: -len(x[0]))

    def advance(self, glyph):
        return self.glyphs[glyph].width

    def kern(self, left, right):
        """Sum over the 'kern' lookups of the first subtable that applies to the pair (HarfBuzz)."""
        total = 0
        for subs in self._kern_lookups:
            for st in subs:
                if getattr(st, "LookupType", 2) != 2 and not hasattr(st, "Coverage"):
                    continue
                if left not in st.Coverage.glyphs:
                    continue
                if st.Format == 1:
                    idx = st.Coverage.glyphs.index(left)
                    hit = [r for r in st.PairSet[idx].PairValueRecord if r.SecondGlyph == right]
                    if not hit:
                        continue  # format 1 without the pair: the next subtable may have it
                    v = hit[0].Value1
                else:
                    c1 = st.ClassDef1.classDefs.get(left, 0)
                    c2 = st.ClassDef2.classDefs.get(right, 0)
                    v = st.Class1Record[c1].Class2Record[c2].Value1
                total += getattr(v, "XAdvance", 0) or 0 if v is not None else 0
                break
        return total

    def shape(self, text):
        """Glyph names of `text`: cmap, then the Latin ligatures (longest match first)."""
        names = [self.cmap.get(ord(ch)) for ch in text]
        out, i = [], 0
        while i < len(names):
            for seq, lig in self.ligatures:
                if tuple(names[i:i + len(seq)]) == seq:
                    out.append(lig)
                    i += len(seq)
                    break
            else:
                out.append(names[i])
                i += 1
        return out

    def width_units(self, text):
        """Advance of `text` in font units, as fontTools reads the font (the reference)."""
        glyphs = self.shape(text)
        total = 0
        for i, g in enumerate(glyphs):
            if g is None:
                total += self.upem  # not in the font: one em, as text_width assumes
                continue
            if g == self.cmap.get(0xAD):
                continue  # soft hyphen: default-ignorable, not drawn
            total += self.advance(g)
            if i + 1 < len(glyphs) and glyphs[i + 1] is not None:
                total += self.kern(g, glyphs[i + 1])
        return total


def header_text(faces):
    lines = [
        "#pragma once",
        "/// \\file",
        "/// GENERATED by scripts/generate_font_metrics.py from DejaVu Sans (Debian fonts-dejavu-core) with",
        "/// fontTools; do not edit. Advance widths (font units) of the characters the figures can show, the",
        "/// Latin ligatures of GSUB 'liga' and the pair kerning of GPOS 'kern' between those characters (both",
        "/// applied by browsers by default). Any other character is taken as one em wide.",
        "",
        "#include <cstddef>",
        "#include <cstdint>",
        "",
        "namespace disfer::detail::dejavu {",
        "",
        "// clang-format off",
        "struct glyph_advance {",
        "  char32_t code;  ///< a Unicode code point, or a ligature's (U+FB00 ...)",
        "  std::uint16_t advance;",
        "};",
        "struct ligature {",
        "  char32_t components[3];  ///< 0-padded",
        "  char32_t code;           ///< the ligature's code point (its advance is in the advance table)",
        "};",
        "struct kern_pair {",
        "  char32_t left, right;",
        "  std::int16_t value;  ///< added to the left character's advance",
        "};",
        "struct face {",
        "  const char* file;",
        "  const char* version;  ///< the font's name table, record 5",
        "  const char* sha256;   ///< of the font file the tables were read from",
        "  int units_per_em, ascender, descender;  ///< hhea; descender is negative",
        "  int fallback_advance;                   ///< for characters not in `advances`",
        "  const glyph_advance* advances;          ///< sorted by code",
        "  std::size_t n_advances;",
        "  const ligature* ligatures;  ///< longest first",
        "  std::size_t n_ligatures;",
        "  const kern_pair* kerns;  ///< sorted by (left, right)",
        "  std::size_t n_kerns;",
        "};",
        "",
    ]
    for var, face in faces:
        rev = {}
        for c, g in face.cmap.items():
            rev.setdefault(g, c)
        chars = [c for c in CHARACTERS if ord(c) in face.cmap]
        lig_rows = []
        for seq, lig in face.ligatures:
            codes = [rev[g] for g in seq]
            if lig in rev and len(codes) <= 3 and all(chr(c) in CHARACTERS for c in codes):
                lig_rows.append((codes, rev[lig]))
        codes = sorted({ord(c) for c in chars} | {lig for _, lig in lig_rows})
        adv = []
        for c in codes:
            a = 0 if c == 0xAD else face.advance(face.cmap[c])
            adv.append(f"{{0x{c:04X}, {a}}}")
        kerns = []
        for a in codes:
            for b in codes:
                v = face.kern(face.cmap[a], face.cmap[b])
                if v:
                    kerns.append(f"{{0x{a:04X}, 0x{b:04X}, {v}}}")
        lines.append(f"// {face.path} ({face.version}): {len(adv)} advances, {len(lig_rows)} ligatures, "
                     f"{len(kerns)} kerning pairs.")
        lines.append(f"inline constexpr glyph_advance {var}_advances[] = {{")
        lines += ["    " + ", ".join(adv[i:i + 8]) + "," for i in range(0, len(adv), 8)]
        lines.append("};")
        lines.append(f"inline constexpr ligature {var}_ligatures[] = {{")
        for comps, lig in lig_rows:
            padded = comps + [0] * (3 - len(comps))
            lines.append("    {{" + ", ".join(f"0x{c:04X}" for c in padded) + f"}}, 0x{lig:04X}}},")
        lines.append("};")
        lines.append(f"inline constexpr kern_pair {var}_kerns[] = {{")
        lines += ["    " + ", ".join(kerns[i:i + 6]) + "," for i in range(0, len(kerns), 6)]
        lines.append("};")
        lines.append(f"inline constexpr face {var}{{\"{face.path.name}\", \"{face.version}\",")
        lines.append(f"    \"{sha256(face.path)}\",")
        lines.append(f"    {face.upem}, {face.ascender}, {face.descender}, {face.upem},")
        lines.append(f"    {var}_advances, sizeof {var}_advances / sizeof {var}_advances[0],")
        lines.append(f"    {var}_ligatures, sizeof {var}_ligatures / sizeof {var}_ligatures[0],")
        lines.append(f"    {var}_kerns, sizeof {var}_kerns / sizeof {var}_kerns[0]}};")
        lines.append("")
    lines.append("// clang-format on")
    lines.append("")
    lines.append("}  // namespace disfer::detail::dejavu")
    return "\n".join(lines) + "\n"


def reference_text(faces):
    by_bold = {False: faces[0][1], True: faces[1][1]}
    cases = []
    for text, size, bold, why in CASES:
        face = by_bold[bold]
        units = face.width_units(text)
        cases.append({
            "id": why,
            "text": text,
            "font_size": size,
            "bold": bold,
            "width": units * size / face.upem,
            "source": f"scripts/generate_font_metrics.py: fontTools on {face.path.name} ({face.version}): cmap, "
                      "GSUB liga, hmtx advances, GPOS kern pairs, summed in font units times font_size / unitsPerEm",
        })
    return json.dumps({"source": "scripts/generate_font_metrics.py", "cases": cases}, ensure_ascii=False,
                      indent=1) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    o = ap.parse_args()
    try:
        import fontTools  # noqa: F401
    except ImportError:
        die(77 if o.check else 1, f"SKIPPED: fontTools is not installed for {sys.executable} (Debian: python3-fonttools)")
    faces = []
    for var, name in FACES:
        path = FONT_DIR / name
        if not path.exists():
            die(77 if o.check else 1, f"SKIPPED: {path} is missing (Debian: fonts-dejavu-core)")
        faces.append((var, Face(path)))
    outputs = {HEADER: header_text(faces), REFERENCE: reference_text(faces)}
    if o.check:
        stale = [p for p, text in outputs.items() if not p.exists() or p.read_text() != text]
        for p in stale:
            print(f"{p.relative_to(ROOT)} differs from a fresh run of scripts/generate_font_metrics.py")
        print(f"generate_font_metrics --check: {len(outputs) - len(stale)} of {len(outputs)} files up to date")
        return 1 if stale else 0
    for p, text in outputs.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
