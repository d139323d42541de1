"""The JSON the data commands print with --json: one object (or list) per run, stable keys, for scripts and cron."""

from __future__ import annotations

from typing import Any

from bot.sync import SyncReport
from catalog.diff import ScheduleDiff
from catalog.model import Catalog


def diff_json(changes: ScheduleDiff) -> dict[str, Any]:
    return {
        "added": [s.id for s in changes.added],
        "changed": [{"id": c.after.id, "fields": list(c.fields)} for c in changes.changed],
        "moved": [c.after.id for c in changes.changed if c.moved],
        "removed": [s.id for s in changes.removed],
        "unchanged": changes.unchanged,
    }


def import_json(catalog: Catalog, figures: dict[str, Any], changes: ScheduleDiff, existed: bool) -> dict[str, Any]:
    conf = catalog.conference
    return {
        "slug": conf.slug,
        "title": conf.title,
        "timezone": conf.timezone,
        **figures,
        "reimport": existed,
        "changes": diff_json(changes) if existed else None,
        "warnings": list(catalog.warnings),
    }


def sync_json(report: SyncReport) -> dict[str, Any]:
    return {
        "conference": report.conference,
        "outcome": report.outcome,
        "ok": report.ok,
        "message": report.message,
        "notices": report.notices,
        "changes": diff_json(report.diff) if report.diff is not None else None,
    }
