"""`pip install .`: the wheel holds everything the registry reads, and an installed registry reads
nothing else.

The wheel is built from the checkout and installed, without its dependencies, into a new virtualenv
that sees this environment's packages but not the checkout. Its `registry` command then runs from an
empty folder: --help, migrate and seed on a new database, and serve. A sitecustomize in that
virtualenv records every file its processes open (Python's audit hook): none may be under the
checkout's registry/, sql/ or seeds/, and the migrations, seed files and message catalogues must be
read from the installed package.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests import ROOT
from tests.live import free_port

# Loaded at the start of every Python process of the virtualenv: with REGISTRY_OPEN_LOG set, appends
# the path of each file the process opens (imports included) to that log, one line each, as it
# happens (a server stopped by a signal still leaves its log).
SITECUSTOMIZE = """
import os, sys
if os.environ.get("REGISTRY_OPEN_LOG"):
    _fd = os.open(os.environ["REGISTRY_OPEN_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    def _record(event, args):
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            os.write(_fd, os.fsencode(os.path.abspath(os.fsdecode(args[0]))) + b"\\n")
    sys.addaudithook(_record)
"""


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path  # the virtualenv's bin/, with its `registry` command
    package: Path  # the installed registry package, in the virtualenv's site-packages


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel built from the checkout, installed into a new virtualenv."""
    work = tmp_path_factory.mktemp("package")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(work)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = work.glob("municipal_quality_registry-*.whl")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(work / "venv")], check=True, timeout=120
    )
    python = work / "venv" / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # this environment's packages (the dependencies), after the virtualenv's own: a path in a .pth
    # file is added as it is, without running the .pth files in it (such as the editable install's,
    # which adds the checkout)
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    return Installed(wheel, python.parent, site / "registry")


def checkout_files(pattern: str) -> set[str]:
    """The checkout's files matching a glob pattern, as paths inside the package (sql/... ->
    registry/sql/...)."""
    return {
        ("" if p.is_relative_to(ROOT / "registry") else "registry/")
        + p.relative_to(ROOT).as_posix()
        for p in ROOT.glob(pattern)
        if p.is_file()
    }


def test_the_wheel_holds_the_sql_the_seeds_and_the_compiled_catalogues(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for pattern in ("sql/**/*", "seeds/**/*"):
        assert checkout_files(pattern) and checkout_files(pattern) <= names, pattern
    catalogues = {
        name.removesuffix(".po") + ".mo"
        for name in checkout_files("registry/locale/*/LC_MESSAGES/*.po")
    }
    assert len(catalogues) == 5 and catalogues <= names
    assert not [n for n in names if n.endswith((".po", ".pot"))]


def test_importing_the_registry_reads_no_data(installed, tmp_path):
    log = tmp_path / "opened.log"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {
        "REGISTRY_OPEN_LOG": str(log)
    }
    subprocess.run(
        [installed.bin / "python", "-c", "import registry.app, registry.cli, registry.europe"],
        cwd=tmp_path,
        env=env,
        check=True,
        timeout=120,
    )
    inside = f"{installed.package}{os.sep}"
    read = [p for p in log.read_text().splitlines() if p.startswith(inside)]
    # code only: data is read on use
    assert read and not [p for p in read if not p.endswith((".py", ".pyc"))]


def test_the_installed_registry_migrates_seeds_and_serves_from_its_package(
    installed, empty_url, tmp_path
):
    log = tmp_path / "opened.log"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TEST_DATABASE_URL")}
    env |= {
        "DATABASE_URL": empty_url,
        "REGISTRY_OPEN_LOG": str(log),
        "REGISTRY_ACCESS_LOG": "0",
        "REGISTRY_RATE_LIMIT": "0",
    }
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()

    def registry(*args: str) -> str:
        done = subprocess.run(
            [installed.bin / "registry", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    assert "seed-europe" in registry("--help")
    registry("migrate")
    registry("seed")
    port = free_port()
    server = subprocess.Popen(
        [installed.bin / "registry", "serve", "--no-seed", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not _healthy(base):
            assert server.poll() is None, "the installed registry's server exited"
            assert time.monotonic() < deadline, "the installed registry's server did not start"
            time.sleep(0.2)
        caf = httpx.get(f"{base}/v1/models/CAF?lang=pl", timeout=10).json()
        assert caf["label"] == "Wspólna Metoda Oceny (CAF)"  # from the compiled Polish catalogue
        assert httpx.get(f"{base}/v1/countries/PL", timeout=10).json()["municipality_count"] > 2000
        krakow = httpx.get(f"{base}/v1/municipalities/pl-1261011", timeout=10).json()
        assert krakow["name_local"] == "Kraków" and krakow["adoptions"]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    opened = set(log.read_text().splitlines())
    in_checkout = tuple(f"{ROOT / folder}{os.sep}" for folder in ("registry", "sql", "seeds"))
    assert not [p for p in opened if p.startswith(in_checkout)]
    inside = f"{installed.package}{os.sep}"
    read = {"registry/" + p.removeprefix(inside) for p in opened if p.startswith(inside)}
    # its code
    assert [p for p in read if p.startswith(("registry/cli.py", "registry/__pycache__/cli."))]
    assert "registry/locale/pl/LC_MESSAGES/registry.mo" in read
    # seeding digests every seed file
    for pattern in ("sql/migrations/*.sql", "sql/queries/*.sql", "seeds/**/*"):
        expected = {
            f for f in checkout_files(pattern) if not f.startswith("registry/seeds/europe/")
        }
        assert expected and expected <= read, (pattern, expected - read)


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
