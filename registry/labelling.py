"""Labels and display values in the reader's language, written once into the answer's structs.

Every response struct declares the labelled fields its clients get, next to the machine values they
label (so the OpenAPI document shows them): `<key>_label` for a code of a category
(registry/labels.py KEY_CATEGORY), `<key>_labels` for a list of codes, `<key>_display` for a date
(written at its precision) or a number, `country_name` for a country code, `name` for a place in the
wanted script, and `label` / `description_label` / `label_localized` for countries, models, regions,
editions and levels. `labelled()` fills them, by a plan made once per struct class from its fields,
when the answer is built: there is one labelling path, in Python, for every answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import msgspec

from registry.i18n import (
    Labeller,
    display_number,
    display_percent,
    label,
    labeller,
    place_name,
    region_name,
    script_wanted,
)
from registry.labels import KEY_CATEGORY, LABELS, LIST_KEY_CATEGORY

T = TypeVar("T")

NUMBER_KEYS = frozenset({"population", "area_km2", "denominator", "municipality_count"})
RATE_KEYS = frozenset(
    {
        "holding_rate",
        "adopter_rate",
        "peers_holding_share",
        "adopted_earlier_than_share",
        "holding_rate_low",
        "holding_rate_high",
        "adopter_rate_low",
        "adopter_rate_high",
    }
)
(
    CODE,
    CODES,
    DATE,
    NUMBER,
    RATE,
    COUNTRY,
    NAME,
    COUNTRY_LABEL,
    MODEL_LABEL,
    MODEL_DESCRIPTION,
    REGION_LABEL,
    EDITION_LABEL,
    LEVEL_LABEL,
) = range(13)


def _plan(info: msgspec.inspect.StructType) -> tuple[list[tuple[str, str, int]], list[str]]:
    """(steps, nested): what to fill from what, and the fields that hold structs to label in
    turn."""
    names = {f.name for f in info.fields}
    steps, nested = [], []
    for f in info.fields:
        name = f.name
        if _holds_structs(f.type):
            nested.append(name)
        # a labelled field is optional (it has no label in some languages): a data field is not
        if f.required:
            continue
        base = name.rsplit("_", 1)[0]
        if name.endswith("_label") and base in names and base in KEY_CATEGORY:
            steps.append((name, base, CODE))
        elif name.endswith("_labels") and base in names and base in LIST_KEY_CATEGORY:
            steps.append((name, base, CODES))
        elif name.endswith("_display") and base in names:
            steps.append(
                (name, base, NUMBER if base in NUMBER_KEYS else RATE if base in RATE_KEYS else DATE)
            )
        elif name == "country_name":
            steps.append((name, "country" if "country" in names else "country_code", COUNTRY))
        elif name == "name" and {"name_local", "name_latin"} <= names:
            steps.append((name, "name_local", NAME))
        elif name == "label" and "code" in names:
            steps.append(
                (
                    name,
                    "code",
                    COUNTRY_LABEL
                    if "alpha3" in names
                    else MODEL_LABEL
                    if "lifecycle" in names
                    else REGION_LABEL,
                )
            )
        elif name == "description_label" and "lifecycle" in names:
            steps.append((name, "code", MODEL_DESCRIPTION))
        elif name == "label_localized" and "label" in names:
            steps.append(
                (name, "code", LEVEL_LABEL) if "rank" in names else (name, "label", EDITION_LABEL)
            )
    return steps, nested


def _holds_structs(t: msgspec.inspect.Type) -> bool:
    if isinstance(t, msgspec.inspect.StructType):
        return True
    if isinstance(t, msgspec.inspect.UnionType):
        return any(_holds_structs(u) for u in t.types)
    if isinstance(
        t, (msgspec.inspect.ListType, msgspec.inspect.TupleType, msgspec.inspect.VarTupleType)
    ):
        return _holds_structs(getattr(t, "item_type", None) or msgspec.inspect.AnyType())
    return False


_plans: dict[type, tuple[list[tuple[str, str, int]], list[str]]] = {}


def labelled(value: T, labels: Labeller | None = None) -> T:
    """Fill the labelled fields of a struct (or a list of structs), nested structs included; returns
    it."""
    return _fill(value, labels or labeller())


def _fill(value: Any, lab: Labeller) -> Any:
    if isinstance(value, list):
        for item in value:
            _fill(item, lab)
        return value
    if not isinstance(value, msgspec.Struct):
        return value
    cls = type(value)
    plan = _plans.get(cls)
    if plan is None:
        info = msgspec.inspect.type_info(cls)
        assert isinstance(info, msgspec.inspect.StructType)
        plan = _plans[cls] = _plan(info)
    steps, nested = plan
    for target, source, action in steps:
        setattr(value, target, _value(value, source, action, lab))
    for name in nested:
        _fill(getattr(value, name), lab)
    return value


def _value(obj: Any, source: str, action: int, lab: Labeller) -> Any:
    x = getattr(obj, source)
    if x is None:
        return [] if action == CODES else None
    language = lab.language
    if action == CODE:
        return lab.key_label(source, x) if isinstance(x, str) else None
    if action == CODES:
        return [lab.label(LIST_KEY_CATEGORY[source], code) or code for code in x]
    if action == DATE:
        text = x.isoformat() if isinstance(x, dt.date) else x
        return lab.date(text) if isinstance(text, str) else None
    if action == NUMBER:
        return display_number(x, language)
    if action == RATE:
        return display_percent(x, language)
    if action == COUNTRY:
        return lab.country(x) if len(x) == 2 else None
    if action == NAME:
        country = getattr(obj, "country", None) or getattr(obj, "country_code", None)
        return place_name(obj.name_local, obj.name_latin, country, script_wanted(), language)
    if action == COUNTRY_LABEL:
        return lab.country(x)
    if action == MODEL_LABEL:
        return label("model", x, language) or getattr(obj, "name", None)
    if action == MODEL_DESCRIPTION:
        return label("model_description", x, language) or getattr(obj, "description", None)
    if action == REGION_LABEL:
        local: str | None = getattr(obj, "name_local", None)
        latin: str | None = getattr(obj, "name_latin", None)
        fallback = (
            place_name(local, latin or local, x[:2], script_wanted(), language) if local else x
        )
        return region_name(x, fallback, language)
    if action == EDITION_LABEL:
        return label("edition", x, language) if x in LABELS["edition"] else None
    if action == LEVEL_LABEL:
        return label("level", x, language) or getattr(obj, "label", None)
    raise AssertionError(action)
