"""Arrows point one way: adapters -> bot -> catalog. The core never imports a chat SDK."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

CHAT_SDKS = {"slack_bolt", "slack_sdk", "discord"}


def imported_modules(package: str) -> list[tuple[str, str]]:
    found = []
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(str(path.relative_to(ROOT)), alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(path.relative_to(ROOT)), node.module))
    return found


@pytest.mark.parametrize("package", ["bot", "catalog"])
def test_core_never_imports_a_chat_sdk(package: str) -> None:
    offenders = [(f, m) for f, m in imported_modules(package) if m.split(".")[0] in CHAT_SDKS]
    assert offenders == []


def test_catalog_never_imports_bot_or_adapters() -> None:
    offenders = [(f, m) for f, m in imported_modules("catalog") if m.split(".")[0] in {"bot", "adapters"}]
    assert offenders == []


def test_bot_never_imports_adapters() -> None:
    assert [(f, m) for f, m in imported_modules("bot") if m.split(".")[0] == "adapters"] == []
