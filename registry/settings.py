"""Settings: one frozen struct read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
import platformdirs

PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    """A folder the registry reads that the checkout keeps at its top level: inside the package once
    installed from a wheel (the build maps it there, scripts/build_hook.py), else the checkout's own
    (an editable install)."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


# Where every file the registry reads lives; read at run time, never at import.
SQL_DIR = _data_dir("sql")  # migrations/, queries/ and whatever else sql/ holds
SEEDS_DIR = _data_dir("seeds")  # catalogue/, rosters/, facts/, documents/, examples/, europe/
# <folder>/LC_MESSAGES/registry.mo: compiled by the wheel build or `make messages`
LOCALE_DIR = PACKAGE_DIR / "locale"

# A pool of about twice the cores: each connection is a PostgreSQL process that competes for the
# same cores as the API's event loop. On this 2-core VM a pool of 6 gave the profile a p99 of 48 ms
# where 10 gave 56-57 ms (2026-11-22, same load), and 4 gave a lower p99 than 6 in 17 of 22
# back-to-back pairs of 10 s (compare, list, peers, profile; 2026-11-30, bench/ANALYSIS.md) at the
# same throughput. Long requests (an import, a ranking computed cold) hold one connection while the
# others keep moving.
DEFAULT_POOL_MAX = 2 * (os.cpu_count() or 2)


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Runtime configuration.

    Attributes:
        database_url: use this PostgreSQL server; None starts the embedded one.
        data_dir: where the embedded server keeps its files.
        host, port: where `serve` listens.
        pool_min, pool_max: asyncpg pool size (pool_max: twice the cores by default).
    """

    database_url: str | None = None
    data_dir: Path = Path(platformdirs.user_data_dir("municipal-quality-registry"))
    host: str = "127.0.0.1"
    port: int = 8000
    pool_min: int = 2
    pool_max: int = DEFAULT_POOL_MAX
    # larger request bodies get 413 (a 100,000-event import is ~23 MB)
    max_body_bytes: int = 50_000_000
    rate_limit_per_minute: int = 1200  # per key, or per address without one; 0 turns it off
    access_log: bool = True  # one log line per request from the HTTP server

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        defaults = cls()
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            data_dir=Path(env["REGISTRY_DATA_DIR"])
            if env.get("REGISTRY_DATA_DIR")
            else defaults.data_dir,
            host=env.get("HOST") or defaults.host,
            port=int(env.get("PORT") or defaults.port),
            pool_min=int(env.get("REGISTRY_POOL_MIN") or defaults.pool_min),
            pool_max=int(env.get("REGISTRY_POOL_MAX") or defaults.pool_max),
            max_body_bytes=int(env.get("REGISTRY_MAX_BODY_BYTES") or defaults.max_body_bytes),
            rate_limit_per_minute=int(
                env.get("REGISTRY_RATE_LIMIT") or defaults.rate_limit_per_minute
            ),
            access_log=(env.get("REGISTRY_ACCESS_LOG") or "true").lower()
            not in ("0", "false", "no", "off"),
        )
