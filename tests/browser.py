"""Headless Chromium for the browser tests and the screenshots: Debian's /usr/bin/chromium driven by
Playwright (never a browser of Playwright's own download), and axe-core installed by `make test`
into .browser/ (from the npm registry at test time, never from a CDN at run time)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests import ROOT

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
AXE = ROOT / ".browser" / "node_modules" / "axe-core" / "axe.min.js"
# as the machine's notes say: no sandbox as root, no GPU, and none of Chromium's own connections to
# the network
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM:
        return "no chromium on this machine (make test installs Debian's chromium)"
    if not AXE.exists():
        return f"no axe-core at {AXE.relative_to(ROOT)} (make test installs it)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


def launch_options() -> dict:
    return {"executable_path": CHROMIUM, "args": ARGS, "headless": True}


AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                     nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def axe_path() -> Path:
    return AXE
