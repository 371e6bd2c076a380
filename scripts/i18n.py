"""Message catalogues: `extract` (template + updated .po files), `latin` (sr_Latn from sr), `check`.

Run from the repository root with the project's virtualenv:
    .venv/bin/python scripts/i18n.py extract   # after adding or changing English texts
    .venv/bin/python scripts/i18n.py latin     # after changing Serbian Cyrillic translations
    .venv/bin/python scripts/i18n.py check     # fails if any message lacks a translation
Compiling (.po -> .mo) is `make messages`, run by `make run` and `make test`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry.labels import LABELS  # noqa: E402
from registry.text import sr_cyrillic_to_latin  # noqa: E402

LOCALE = ROOT / "registry" / "locale"
TRANSLATED = ("sl", "sr", "pl", "az")  # written by translators; sr_Latn is derived from sr
ALL = (*TRANSLATED, "sr_Latn")


def _po(folder: str) -> Path:
    return LOCALE / folder / "LC_MESSAGES" / "registry.po"


def template() -> Catalog:
    pot = Catalog(project="municipal-quality-registry", version="1", fuzzy=False)
    for category, codes in LABELS.items():
        for code, english in codes.items():
            pot.add(english, context=category, auto_comments=[f"{category}: {code}"])
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / "registry", method_map=[("**.py", "python"), ("web/templates/**.html", "jinja2")],
            keywords={"gettext": None},
            comment_tags=("TRANSLATORS:",)):
        pot.add(message, locations=[(f"registry/{filename}", lineno)], auto_comments=comments, context=context)
    return pot


def extract() -> None:
    pot = template()
    LOCALE.mkdir(parents=True, exist_ok=True)
    with (LOCALE / "registry.pot").open("wb") as fh:
        write_po(fh, pot, width=100, omit_header=False)
    for folder in TRANSLATED:
        path = _po(folder)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=folder)
            catalog.update(pot, no_fuzzy_matching=True)
        else:
            catalog = Catalog(locale=folder, project="municipal-quality-registry", fuzzy=False)
            catalog.update(pot, no_fuzzy_matching=True)
            path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, ignore_obsolete=True)
    print(f"{len(pot)} messages; template and {', '.join(TRANSLATED)} updated")


def latin() -> None:
    with _po("sr").open("rb") as fh:
        source = read_po(fh, locale="sr")
    target = Catalog(locale="sr_Latn", project="municipal-quality-registry", fuzzy=False)
    for message in source:
        if not message.id:
            continue
        target.add(message.id, sr_cyrillic_to_latin(message.string) if message.string else "",
                   context=message.context, auto_comments=message.auto_comments)
    path = _po("sr_Latn")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, target, width=100)
    print(f"sr_Latn: {len(target)} messages transliterated from sr")


def check() -> int:
    pot = template()
    wanted = {(m.context, m.id) for m in pot if m.id}
    failed = 0
    for folder in ALL:
        with _po(folder).open("rb") as fh:
            catalog = read_po(fh)
        have = {(m.context, m.id) for m in catalog if m.id and m.string and not m.fuzzy}
        missing = sorted(wanted - have, key=str)
        if missing:
            failed += 1
            print(f"{folder}: {len(missing)} untranslated, e.g. {missing[:3]}")
    print("all catalogues complete" if not failed else f"{failed} catalogue(s) incomplete")
    return 1 if failed else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "extract":
        extract()
    elif command == "latin":
        latin()
    else:
        raise SystemExit(check())
