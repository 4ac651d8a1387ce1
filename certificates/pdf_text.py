"""The text layer of wkhtmltopdf's certificates: real Arabic letters.

Debian's wkhtmltopdf (Qt 5's PDF engine) embeds each font as a subset and writes a
ToUnicode map built by looking each glyph up in the font's ``cmap``. A shaped Arabic
glyph (initial, medial, final form) is found only under its *presentation form*
code point (U+FB50-U+FEFF), and glyphs that no code point names (Noto Naskh's
lam-alef ligatures, contextual variants) get no entry at all, so copying or
searching the name gives presentation forms and holes. The space glyph is named
after U+0009, the first code point that maps to it.

``repair_text_layer`` rewrites those ToUnicode maps: each glyph of the subset is
matched to the shipped font's glyph with the same outline, and that glyph to the
characters it stands for, through the ``cmap`` (base letters U+0600-U+06FF first)
and the font's ``GSUB`` substitutions (a form stands for the letter it was
substituted from, a ligature for its components). The glyphs themselves, their
positions and their order in the content stream (Qt writes Arabic in logical order)
are left alone. WeasyPrint needs none of this: it writes its own ToUnicode from the
text HarfBuzz shaped.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from io import BytesIO
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# Qt writes a zero creation date into the fonts it embeds; fontTools warns of it.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
# The shipped fonts, under the names wkhtmltopdf gives them (its /BaseFont).
SHIPPED_FONTS = {
    "NotoNaskhArabic-Regular": "NotoNaskhArabic-Regular.ttf",
    "NotoNaskhArabic-Bold": "NotoNaskhArabic-Bold.ttf",
    "NotoSans-Regular": "NotoSans-Regular.ttf",
    "NotoSans-Bold": "NotoSans-Bold.ttf",
}


def repair_text_layer(pdf: bytes, text: str) -> bytes:
    """``pdf`` with the ToUnicode maps of its shipped fonts rebuilt (see above);
    ``text`` holds every character the document prints (the candidates)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    characters = frozenset(text) | {" "}
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    done = set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            base = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
            if base not in SHIPPED_FONTS or id(font) in done:
                continue
            done.add(id(font))
            descendant = font["/DescendantFonts"][0].get_object()
            subset = descendant["/FontDescriptor"]["/FontFile2"].get_object()
            texts = _read_to_unicode(font.get("/ToUnicode"))
            missing = _subset_texts(
                subset.get_data(), SHIPPED_FONTS[base], characters, texts
            )
            texts.update(missing)
            stream = StreamObject()
            stream.set_data(_to_unicode_cmap(texts))
            font[NameObject("/ToUnicode")] = writer._add_object(stream)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def _read_to_unicode(stream) -> dict[int, str]:
    """Glyph id -> text from Qt's ToUnicode map, presentation forms written as the
    letters they present, the tab that names the space glyph as a space."""
    texts: dict[int, str] = {}
    if stream is None:
        return texts
    data = stream.get_object().get_data().decode("latin-1")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, target in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block
        ):
            first, last = int(start, 16), int(end, 16)
            if target.startswith("["):
                values = re.findall(r"<([0-9A-Fa-f]+)>", target)
                for offset, value in enumerate(values[: last - first + 1]):
                    texts[first + offset] = _utf16(value)
            else:
                base = int(target[1:-1], 16)
                for offset in range(last - first + 1):
                    texts[first + offset] = chr(base + offset)
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            texts[int(code, 16)] = _utf16(value)
    return {
        gid: _normalised(text)
        for gid, text in texts.items()
        if gid and text and text != "\x00"
    }


def _utf16(hex_value: str) -> str:
    return bytes.fromhex(hex_value).decode("utf-16-be", errors="replace")


def _normalised(text: str) -> str:
    if text == "\t":
        return " "
    return "".join(
        unicodedata.normalize("NFKC", ch) if _is_form(ord(ch)) else ch for ch in text
    )


def _subset_texts(
    subset_data: bytes,
    filename: str,
    characters: frozenset[str],
    known: dict[int, str],
) -> dict[int, str]:
    """Subset glyph id -> the characters it stands for, for the glyphs ``known``
    (Qt's own map) lacks.

    Qt re-draws the outlines it embeds (another em size, other points), so a
    subset glyph is matched by its advance, contour count and bounding box, among
    the shipped font's glyphs that stand for characters the document prints."""
    from fontTools.ttLib import TTFont

    subset = TTFont(BytesIO(subset_data), lazy=False)
    scale = 1000 / subset["head"].unitsPerEm
    glyf, hmtx = subset["glyf"], subset["hmtx"]
    candidates = _candidates(filename, characters)
    texts = {}
    for gid, name in enumerate(subset.getGlyphOrder()):
        if gid == 0 or gid in known:
            continue
        measure = _measure(glyf[name], hmtx[name][0], scale)
        best, best_distance = None, _TOLERANCE
        for text, candidate_measure in candidates.values():
            distance = _distance(measure, candidate_measure)
            if distance < best_distance:
                best, best_distance = text, distance
        if best is not None:
            texts[gid] = best
    return texts


# Advance and bounding box, in thousandths of an em, may differ by rounding.
_TOLERANCE = 12


def _measure(glyph, advance: int, scale: float) -> tuple:
    if glyph.numberOfContours == 0 or not hasattr(glyph, "xMin"):
        return (round(advance * scale), 0, 0, 0, 0, 0)
    return (
        round(advance * scale),
        glyph.numberOfContours if glyph.numberOfContours > 0 else -1,
        round(glyph.xMin * scale),
        round(glyph.yMin * scale),
        round(glyph.xMax * scale),
        round(glyph.yMax * scale),
    )


def _distance(a: tuple, b: tuple) -> float:
    if (a[1] == 0) != (b[1] == 0) or (a[1] > 0 and b[1] > 0 and a[1] != b[1]):
        return _TOLERANCE
    return sum(abs(x - y) for x, y in zip(a[:1] + a[2:], b[:1] + b[2:], strict=True))


def _candidates(filename: str, characters: frozenset[str]) -> dict[str, tuple]:
    glyph_texts, measures = _shipped_font(filename)
    return {
        name: (text, measures[name])
        for name, text in glyph_texts.items()
        if set(text) <= characters
    }


@functools.cache
def _shipped_font(filename: str) -> tuple[dict[str, str], dict[str, tuple]]:
    """For a shipped font: glyph name -> text, and glyph name -> measure."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_DIR / filename)
    glyf, hmtx = font["glyf"], font["hmtx"]
    scale = 1000 / font["head"].unitsPerEm
    measures = {}
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if glyph.isComposite():
            glyph.recalcBounds(glyf)
            contours = len(glyph.getCoordinates(glyf)[1])
            measure = list(_measure(glyph, hmtx[name][0], scale))
            measure[1] = contours
            measures[name] = tuple(measure)
        else:
            measures[name] = _measure(glyph, hmtx[name][0], scale)
    return _glyph_texts(font), measures


def _glyph_texts(font) -> dict[str, str]:
    """Glyph name -> characters, from the cmap and then the GSUB substitutions."""
    texts: dict[str, str] = {}
    # Lowest code point first, but a presentation form only where nothing else
    # names the glyph; the space is a space, not a tab.
    for code, name in sorted(font.getBestCmap().items()):
        if code < 0x20:
            continue
        text = unicodedata.normalize("NFKC", chr(code)) if _is_form(code) else chr(code)
        if name not in texts or _is_form(ord(texts[name][0])):
            texts[name] = text
    if "GSUB" not in font:
        return texts
    subtables = []
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            if lookup.LookupType == 7:
                subtables.append((subtable.ExtensionLookupType, subtable.ExtSubTable))
            else:
                subtables.append((lookup.LookupType, subtable))
    changed = True
    while changed:  # substitutions of substitutions: until nothing new is learnt
        changed = False
        for kind, subtable in subtables:
            for output, text in _substituted(kind, subtable, texts):
                if text and output not in texts:
                    texts[output] = text
                    changed = True
    return texts


def _substituted(kind: int, subtable, texts: dict[str, str]):
    """(output glyph, its text) for the substitutions whose inputs have a text."""
    if kind == 1:  # single
        for source, output in subtable.mapping.items():
            if source in texts:
                yield output, texts[source]
    elif kind == 2:  # multiple: the first glyph carries the letter
        for source, outputs in subtable.mapping.items():
            if source in texts and outputs:
                yield outputs[0], texts[source]
    elif kind == 3:  # alternate
        for source, outputs in subtable.alternates.items():
            if source in texts:
                for output in outputs:
                    yield output, texts[source]
    elif kind == 4:  # ligature
        for first, ligatures in subtable.ligatures.items():
            for ligature in ligatures:
                parts = [first, *ligature.Component]
                if all(part in texts for part in parts):
                    yield ligature.LigGlyph, "".join(texts[part] for part in parts)


def _is_form(code: int) -> bool:
    return 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def _to_unicode_cmap(texts: dict[int, str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    entries = sorted(texts.items())
    for start in range(0, len(entries), 100):  # at most 100 entries per block
        chunk = entries[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for gid, text in chunk:
            utf16 = text.encode("utf-16-be").hex().upper()
            lines.append(f"<{gid:04X}> <{utf16}>")
        lines.append("endbfchar")
    lines += [
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines).encode("ascii")
