"""Settings from a TOML file and the environment, resolved once at start-up and passed in."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_DB = "confbot.db"
DEFAULT_CONFIG = "confbot.toml"


class ConfigError(Exception):
    """The config file is missing or malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Config:
    db: str = DEFAULT_DB
    timezone: str = ""
    csv_columns: tuple[tuple[str, str], ...] = ()
    sections: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        value = self.sections.get(name, {})
        return value if isinstance(value, dict) else {}


def load_config(path: str | None = None, env: dict[str, str] | None = None) -> Config:
    """--config wins, then CONFBOT_CONFIG, then ./confbot.toml if present; no file is fine."""
    env = dict(os.environ) if env is None else env
    chosen = path or env.get("CONFBOT_CONFIG") or (DEFAULT_CONFIG if Path(DEFAULT_CONFIG).is_file() else None)
    data: dict[str, Any] = {}
    if chosen:
        try:
            data = tomllib.loads(Path(chosen).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{chosen}: config file not found") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{chosen}: not valid TOML ({exc})") from exc
    catalog = data.get("catalog", {}) if isinstance(data.get("catalog"), dict) else {}
    columns = catalog.get("csv_columns", {})
    if not isinstance(columns, dict):
        raise ConfigError(f"{chosen}: [catalog.csv_columns] must map field names to column headers")
    return Config(
        db=env.get("CONFBOT_DB") or str(data.get("db") or DEFAULT_DB),
        timezone=str(catalog.get("timezone") or ""),
        csv_columns=tuple((str(k), str(v)) for k, v in columns.items()),
        sections=data,
    )


def resolve_db(cli_value: str | None, config: Config) -> str:
    """--db wins over CONFBOT_DB, which wins over the config file, which wins over ./confbot.db."""
    return cli_value or config.db
