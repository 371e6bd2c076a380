"""Name folding for search: case, diacritics and script (Serbian Cyrillic -> Latin) ignored; the
control characters no text holds."""

from __future__ import annotations

import re
import unicodedata

# Control characters (C0, DEL, C1): no text of a record holds them but tab and newline in multi-line
# text
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MULTILINE = frozenset(("note", "quote"))

# Serbian Cyrillic to Latin, the official one-to-one mapping (Ђ->Đ, Љ->Lj, ...), applied before
# folding.
_SR_CYRL_TO_LATN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "ђ": "đ",
    "е": "e",
    "ж": "ž",
    "з": "z",
    "и": "i",
    "ј": "j",
    "к": "k",
    "л": "l",
    "љ": "lj",
    "м": "m",
    "н": "n",
    "њ": "nj",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "ћ": "ć",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "c",
    "ч": "č",
    "џ": "dž",
    "ш": "š",
    # letters of Russian/Macedonian/Azerbaijani Cyrillic met in name variants
    "й": "j",
    "ы": "y",
    "э": "e",
    "ю": "ju",
    "я": "ja",
    "ё": "jo",
    "щ": "šč",
    "ъ": "",
    "ь": "",
    "ѓ": "gj",
    "ќ": "kj",
    "ѕ": "dz",
    "ә": "ə",
    "ғ": "ğ",
    "ү": "ü",
    "һ": "h",
    "ө": "ö",
    "ҹ": "c",
}
# letters that Unicode does not decompose into a base letter plus a mark
_UNDECOMPOSABLE = {
    "đ": "dj",
    "ł": "l",
    "ə": "e",
    "ı": "i",
    "ø": "o",
    "æ": "ae",
    "ß": "ss",
    "œ": "oe",
}


def sr_cyrillic_to_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic to Serbian Latin, keeping capitals."""
    out = []
    for ch in text:
        low = ch.lower()
        latin = _SR_CYRL_TO_LATN.get(low)
        if latin is None:
            out.append(ch)
        elif ch != low and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def fold(text: str) -> str:
    """Fold a name for matching: lower case, Latin script, no diacritics, single spaces."""
    text = sr_cyrillic_to_latin(text.casefold())
    text = "".join(_UNDECOMPOSABLE.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = "".join(_UNDECOMPOSABLE.get(ch, ch) for ch in bare)
    return " ".join(bare.replace("-", " ").split())


def search_text(*names: str | None) -> str:
    """The folded, de-duplicated names stored in municipality.search_text, separated by '|'."""
    seen: list[str] = []
    for name in names:
        if name:
            folded = fold(name)
            if folded and folded not in seen:
                seen.append(folded)
    return "|" + "|".join(seen) + "|"


_SR_LATN_TO_CYRL = {
    latin: cyr for cyr, latin in _SR_CYRL_TO_LATN.items() if cyr in "абвгдђежзијклљмнњопрстћуфхцчџш"
}
_SR_DIGRAPHS = ("dž", "lj", "nj")


def sr_latin_to_cyrillic(text: str) -> str:
    """Transliterate Serbian Latin to Cyrillic (digraphs lj, nj, dž first), keeping capitals."""
    out, i = [], 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair.lower() in _SR_DIGRAPHS:
            cyr = _SR_LATN_TO_CYRL[pair.lower()]
            out.append(cyr.upper() if pair[0].isupper() else cyr)
            i += 2
            continue
        ch = text[i]
        letter = _SR_LATN_TO_CYRL.get(ch.lower())
        out.append(ch if letter is None else (letter.upper() if ch.isupper() else letter))
        i += 1
    return "".join(out)
