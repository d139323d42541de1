"""Configuration: the example file stays valid, and a broken file is a one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config, resolve_db
from tests.conftest import ROOT, CliRunner


def test_example_config_is_valid_and_means_what_it_says() -> None:
    config = load_config(str(ROOT / "config.example.toml"), env={})
    assert config.db == "confbot.db" and config.timezone == "Europe/Brussels"
    assert config.section("sync")["interval_minutes"] == 30
    assert resolve_db("other.db", config) == "other.db"


def test_environment_wins_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('db = "from-file.db"\n')
    assert load_config(str(path), env={"CONFBOT_DB": "from-env.db"}).db == "from-env.db"


@pytest.mark.parametrize("content", ["db = [unclosed", "[catalog]\ncsv_columns = 3\n"])
def test_broken_config_is_one_line(cli: CliRunner, tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content)
    result = cli("--config", path, "catalogs")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1 and str(path) in result.err  # configuration


def test_missing_config_file_is_one_line(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("--config", tmp_path / "nope.toml", "catalogs")
    assert result.code == 2 and "config file not found" in result.err
    with pytest.raises(ConfigError):
        load_config(str(tmp_path / "nope.toml"), env={})
