"""The deployment files say what the code does: the image's entry point starts a bot whose health its HEALTHCHECK
reads, and the compose file and systemd unit run commands the CLI accepts, restarting on the right exit codes.
(`make lint` runs hadolint over the Dockerfile itself.)"""

from __future__ import annotations

import asyncio
import configparser
import json
import re
import shlex
import sys
from pathlib import Path

from adapters import exit_codes
from adapters.cli import build_parser
from tests.conftest import ROOT
from tests.runs import environment, free_port, prepared, until_health
from tests.slack_standin import slack_standin


def instructions(path: Path) -> list[tuple[str, str]]:
    """A Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def last(found: list[tuple[str, str]], name: str) -> str:
    return [rest for word, rest in found if word == name][-1]


def image_env(found: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in found:
        if word == "ENV":
            env.update(dict(pair.split("=", 1) for pair in shlex.split(rest)))
    return env


def test_image_is_slim_non_root_with_the_database_on_a_volume() -> None:
    found = instructions(ROOT / "Dockerfile")
    assert re.fullmatch(r"python:3\.11-slim(\S*)?", last(found, "FROM"))
    assert last(found, "USER").split(":")[0] not in ("root", "0")
    volumes = json.loads(last(found, "VOLUME"))
    env = image_env(found)
    assert any(env["CONFBOT_DB"].startswith(v.rstrip("/") + "/") for v in volumes)
    assert "CMD" in last(found, "HEALTHCHECK")


async def test_the_image_entry_point_serves_and_its_healthcheck_reads_it(tmp_path: Path) -> None:
    found = instructions(ROOT / "Dockerfile")
    command = json.loads(last(found, "ENTRYPOINT")) + json.loads(last(found, "CMD"))
    assert command[0] == "confbot"
    build_parser().parse_args(command[1:])  # the CLI accepts it
    check = json.loads(last(found, "HEALTHCHECK").split("CMD", 1)[1])
    assert check[0] == "python"
    prepared(tmp_path)
    port = free_port()
    # The image's environment, with its paths moved under the test's directory and its port to a free one.
    env = {**image_env(found), **environment(tmp_path), "CONFBOT_HEALTH_PORT": str(port)}
    async with slack_standin() as slack:
        env.update(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", SLACK_API_URL=f"{slack.base}/api/")
        process = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).parent / command[0]), *command[1:], env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await until_health(port, True)
            ready = await healthcheck(check, env)
            assert ready == (0, "ready")
            await slack.go_down()
            await until_health(port, False)
            code, line = await healthcheck(check, env)
            assert code == 1 and line.startswith("unready: platform: Socket Mode not connected")
        finally:
            process.terminate()
            assert await asyncio.wait_for(process.wait(), 15) == exit_codes.OK
        assert process.stderr is not None
        assert "Traceback" not in (await process.stderr.read()).decode()


async def healthcheck(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, *command[1:], env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(process.communicate(), 15)
    return int(process.returncode or 0), out.decode().strip()


def test_compose_runs_one_bot_with_its_database_on_a_volume() -> None:
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    services = re.findall(r"^  (\w[\w-]*):\s*$", text.split("volumes:\n", 1)[0], flags=re.M)
    assert services == ["confbot"]
    command = json.loads(re.search(r"^\s+command:\s*(\[.*\])\s*$", text, flags=re.M)[1])  # type: ignore[index]
    build_parser().parse_args(command)
    assert re.search(r"^\s+- confbot-data:/data\s*$", text, flags=re.M)


def test_systemd_unit_runs_a_command_the_cli_accepts_and_does_not_restart_on_bad_configuration() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "confbot.service")
    service = unit["Service"]
    argv = shlex.split(service["ExecStart"])
    assert argv[0].endswith("/confbot")
    args = build_parser().parse_args(argv[1:])
    assert args.command == "run" and args.health_port
    assert service["RestartPreventExitStatus"] == str(exit_codes.CONFIGURATION)
    assert service["User"] != "root"
