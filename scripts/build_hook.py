"""The wheel's build hook (pyproject.toml, [tool.hatch.build.targets.wheel.hooks.custom]).

An installed registry reads nothing outside its package. The wheel build puts there what the
checkout keeps elsewhere: the top-level sql/ and seeds/ (every file, in any subfolder) become
registry/sql and registry/seeds, and the message catalogues
registry/locale/*/LC_MESSAGES/registry.po are compiled into the registry.mo files beside them, as
`make messages` compiles them in a checkout. An editable install (`make install`) gets none of this:
it reads the checkout's own folders. registry/settings.py finds either.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# checkout folder -> folder in the wheel
MAPPED = {"sql": "registry/sql", "seeds": "registry/seeds"}
CATALOGUES = "registry/locale/*/LC_MESSAGES/registry.po"


class RegistryData(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        root = Path(self.root)
        for folder, target in MAPPED.items():
            if not (root / folder).is_dir():
                raise FileNotFoundError(
                    f"{root / folder} is missing: the wheel would have no {folder}/"
                )
            build_data["force_include"][str(root / folder)] = target
        self.compiled = Path(tempfile.mkdtemp(prefix="registry-catalogues-"))
        catalogues = sorted(root.glob(CATALOGUES))
        if not catalogues:
            raise FileNotFoundError(f"no message catalogues match {root / CATALOGUES}")
        for po in catalogues:
            relative = po.relative_to(root).with_suffix(".mo")
            with po.open("rb") as fh:
                catalog = read_po(fh)
            # `pybabel compile` would skip it, and the language would answer in English
            if catalog.fuzzy:
                raise ValueError(
                    f"{po} is marked fuzzy: finish its translation (scripts/i18n.py check)"
                )
            mo = self.compiled / relative
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as fh:
                write_mo(fh, catalog)
            build_data["force_include"][str(mo)] = str(relative)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if version != "editable":
            shutil.rmtree(self.compiled, ignore_errors=True)
