"""Message catalogues: `extract` (template + updated .po files), `latin` (sr_Latn from sr), `check`.

Messages are marked with `gettext(text)`, `ngettext(singular, plural, n)` (a count next to a noun:
one entry with msgid_plural, translated in as many forms as the language's Plural-Forms header has)
and, for labels, `C_(category, text)` in registry/labels.py.

Run from the repository root with the project's virtualenv:
    .venv/bin/python scripts/i18n.py extract   # after adding or changing English texts
    .venv/bin/python scripts/i18n.py latin     # after changing Serbian Cyrillic translations
    .venv/bin/python scripts/i18n.py check     # fails if any message lacks a translation
Compiling (.po -> .mo) is `make messages`, run by `make run` and `make test`.
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry.labels import LABELS  # noqa: E402
from registry.text import sr_cyrillic_to_latin  # noqa: E402

LOCALE = ROOT / "registry" / "locale"
TRANSLATED = ("sl", "sr", "pl", "az")  # written by translators; sr_Latn is derived from sr
ALL = (*TRANSLATED, "sr_Latn")
# the number of plural forms each catalogue's Plural-Forms header must give (CLDR / gettext rules)
NPLURALS = {"sl": 4, "sr": 3, "sr_Latn": 3, "pl": 3, "az": 2}
KEYWORDS = {"gettext": None, "ngettext": (1, 2)}


def _po(folder: str) -> Path:
    return LOCALE / folder / "LC_MESSAGES" / "registry.po"


def template() -> Catalog:
    pot = Catalog(project="municipal-quality-registry", version="1", fuzzy=False)
    for category, codes in LABELS.items():
        for code, english in codes.items():
            pot.add(english, context=category, auto_comments=[f"{category}: {code}"])
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT / "registry",
        method_map=[("**.py", "python"), ("web/templates/**.html", "jinja2")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        pot.add(
            message,
            locations=[(f"registry/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
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
    target = Catalog(
        locale="sr_Latn",
        project="municipal-quality-registry",
        fuzzy=False,
        last_translator=source.last_translator,
        revision_date=source.revision_date,
        language_team="Serbian (Latin script), transliterated from sr",
    )
    for message in source:
        if not message.id:
            continue
        if isinstance(message.string, (list, tuple)):  # plural forms: each one transliterated
            text: str | tuple[str, ...] = tuple(
                sr_cyrillic_to_latin(form) for form in message.string
            )
        else:
            text = sr_cyrillic_to_latin(message.string) if message.string else ""
        target.add(
            message.id,
            text,
            context=message.context,
            auto_comments=message.auto_comments,
            flags=message.flags,
        )
    path = _po("sr_Latn")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, target, width=100)
    print(f"sr_Latn: {len(target)} messages transliterated from sr")


def _fields(text: str) -> set[str]:
    """The names of the str.format fields in a text ('{{' and '}}' are literal braces)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string,)


def _problems(message: Message, nplurals: int) -> list[str]:
    """What is wrong with one catalogue entry: missing forms, or placeholders not those of the
    English text."""
    forms = _forms(message)
    if message.pluralizable and len(forms) != nplurals:
        return [f"{len(forms)} plural forms, not {nplurals}"]
    if not all(forms) or message.fuzzy:
        return ["untranslated"]
    ids = message.id if message.pluralizable else (message.id,)
    wanted = set().union(*(_fields(i) for i in ids))
    return [
        f"form {i} has placeholders {sorted(_fields(f))}, not {sorted(wanted)}"
        for i, f in enumerate(forms)
        if _fields(f) != wanted
    ]


def check() -> int:
    """Every message of the template translated in every catalogue, each plural message in as many
    forms as the language has, and every placeholder kept."""
    pot = template()
    wanted = {(m.context, m.id) for m in pot if m.id}
    failed = 0
    for folder in ALL:
        with _po(folder).open("rb") as fh:
            catalog = read_po(fh)
        have, wrong = set(), []
        if catalog.num_plurals != NPLURALS[folder]:
            wrong.append(f"Plural-Forms has {catalog.num_plurals} forms, not {NPLURALS[folder]}")
        for m in catalog:
            if not m.id:
                continue
            problems = _problems(m, catalog.num_plurals)
            if not problems:
                have.add((m.context, m.id))
            elif problems != ["untranslated"]:
                wrong.append(f"{m.context or ''} {str(m.id)[:60]!r}: {'; '.join(problems)}")
        missing = sorted(wanted - have, key=str)
        if missing or wrong:
            failed += 1
        if missing:
            print(f"{folder}: {len(missing)} untranslated, e.g. {missing[:3]}")
        for line in wrong:
            print(f"{folder}: {line}")
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
