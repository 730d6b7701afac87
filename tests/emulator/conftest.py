"""Fixtures: the emulator as a subprocess on a free port, and fresh pools through POST /_emulator/pool."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

EMULATOR = HERE / "cognito_emulator.py"
SEED_USER = ("alice", "Passw0rd1", "alice@example.com")
SEED_ADMIN = ("root", "Adm1nPass9", "root@example.com")


def start_emulator(tmp_path: Path, *extra: str):
    """Start the emulator on port 0; return (process, info dict, info path, seconds until it answered)."""
    info_path = tmp_path / f"emulator-{time.monotonic_ns()}.json"
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(EMULATOR), "--host", "127.0.0.1", "--port", "0", "--info", str(info_path), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise RuntimeError("emulator did not start: " + proc.stderr.read())
    info = json.loads(line)
    return proc, info, info_path, time.monotonic() - started


def stop_emulator(proc: subprocess.Popen, timeout: float = 10) -> int:
    proc.terminate()
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("emulator")
    proc, info, info_path, _ = start_emulator(
        tmp,
        "--seed-user", ":".join(SEED_USER),
        "--seed-admin", ":".join(SEED_ADMIN),
    )
    info["_info_path"] = str(info_path)
    yield info
    stop_emulator(proc)


def fresh_totp(secret: str) -> str:
    """The authenticator's current code for `secret` (the emulator accepts one step either side)."""
    import totp

    return totp.code_at(secret, time.time())


def post_json(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


@pytest.fixture
def new_pool(emulator):
    """Factory: a fresh, isolated pool (+ client) in the running emulator."""

    def make(**options):
        return post_json(emulator["endpoint"] + "/_emulator/pool", options)

    return make
