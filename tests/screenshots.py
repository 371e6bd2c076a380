"""`make screenshots`: every page in English and Slovenian as PNG in docs/screenshots/, from a real
server on a throwaway embedded database with the seed data (the pages README.md shows).

    .venv/bin/python -m tests.screenshots [--languages en,sl] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from registry.supervise import EmbeddedServer
from tests import ROOT
from tests.browser import launch_options, missing
from tests.live import serve

# (file name, address): days are fixed, so the pictures show the same facts whenever they are taken
PAGES = [
    ("home", "/?q=ko"),
    ("municipality", "/municipalities/pl-1261011?as_of=2016-06-01"),
    ("compare", "/compare?ids=si-050,pl-1261011,rs-70327&as_of=2016-06-01"),
    ("statistics", "/statistics?model=CAF&country=SI&as_of=2019-06-01"),
    ("programme", "/programmes/si-mju-caf-obcine?as_of=2019-06-01"),
    ("certificates", "/certificates?as_of=2017-06-01&within=1y"),
    ("rankings", "/rankings?country=PL&as_of=2016-06-01"),
    ("embed", "/embed/municipalities/pl-1261011/timeline.html?as_of=2016-06-01"),
]
WIDTH, MOST = 1200, 2400  # pixels; a long page is cut at MOST


async def shoot(base: str, out: Path, languages: list[str]) -> list[Path]:
    from playwright.async_api import async_playwright

    written = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch_options())
        context = await browser.new_context(
            viewport={"width": WIDTH, "height": 900}, device_scale_factor=1
        )
        tab = await context.new_page()
        for language in languages:
            for name, path in PAGES:
                await tab.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={language}")
                height = min(await tab.evaluate("document.documentElement.scrollHeight"), MOST)
                target = out / f"{name}-{language}.png"
                await tab.screenshot(
                    path=str(target),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": WIDTH, "height": height},
                )
                written.append(target)
        await browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="en,sl")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if why := missing():
        raise SystemExit(why)
    args.out.mkdir(parents=True, exist_ok=True)
    server = EmbeddedServer(
        Path(tempfile.mkdtemp(prefix="registry-shots-")) / "pgdata", cleanup_mode="delete"
    )
    url = server.start()
    try:
        with serve(url) as base:
            for path in asyncio.run(shoot(base, args.out, args.languages.split(","))):
                print(path.relative_to(ROOT))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
