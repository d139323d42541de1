"""`python -m adapters.healthcheck`: the container's HEALTHCHECK. Exit 0 when the bot on $CONFBOT_HEALTH_PORT
says it is ready, 1 otherwise, with one line (Docker keeps it in `docker inspect`) saying which part is not."""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any

HEALTH_PORT_ENV = "CONFBOT_HEALTH_PORT"  # `run --health-port` defaults to it too
DEFAULT_PORT = "8080"


def check(port: str, timeout: float = 4.0) -> tuple[int, str]:
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return 0, "ready"
    except urllib.error.HTTPError as exc:
        report: Any = json.loads(exc.read() or b"{}")
        failing = [
            f"{name}: {part.get('detail')}"
            for name, part in report.items()
            if isinstance(part, dict) and not part.get("ok")
        ]
        return 1, "unready: " + ("; ".join(failing) or f"HTTP {exc.code}")
    except (OSError, ValueError) as exc:
        return 1, f"no answer from {url}: {exc}"


def main() -> int:
    code, line = check(os.environ.get(HEALTH_PORT_ENV) or DEFAULT_PORT)
    print(line)
    return code


if __name__ == "__main__":
    sys.exit(main())
