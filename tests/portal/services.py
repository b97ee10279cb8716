"""Real servers on loopback for the several-servers tests: Redis (Debian's redis-server)
and an S3-compatible store (moto's server mode), each started on a free port by the test
session and stopped after it.

Where one is missing its tests are skipped with a reason, except when
PORTAL_REQUIRE_SERVICES is set (as .ci/run does): there a missing server is a failure.
"""

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

START_TIMEOUT = 30  # seconds; moto imports much of boto on a cold start


def require(available, message):
    if available:
        return
    if os.environ.get("PORTAL_REQUIRE_SERVICES"):
        pytest.fail(message)
    pytest.skip(message)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(command, ready, name, *, log=None, stop_timeout=10, **popen):
    """Run `command` until the block ends; `ready()` is polled until it answers True.

    Its output is dropped, but for the end of its error output if it stops early; with
    `log` (a path) both go to that file instead. `popen` passes on `cwd` and `env`."""
    output = open(log, "wb") if log else subprocess.DEVNULL
    errors = output if log else subprocess.PIPE
    process = subprocess.Popen(command, stdout=output, stderr=errors, **popen)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not ready():
            if process.poll() is not None:
                said = Path(log).read_bytes() if log else process.stderr.read()
                pytest.fail(f"{name} exited: {said.decode(errors='replace')[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not answer within {START_TIMEOUT} s")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        (output if log else process.stderr).close()


def redis_command(url, *words):
    """One command in Redis's protocol to the server at `url`; its first line of answer."""
    address = urlsplit(url)
    payload = f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)
    with socket.create_connection((address.hostname, address.port), timeout=2) as connection:
        connection.sendall(payload.encode())
        return connection.recv(1024).split(b"\r\n", 1)[0].decode()


@contextmanager
def redis_server():
    """A Redis server that keeps nothing on disk; yields its URL."""
    executable = shutil.which("redis-server")
    require(executable, "redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"

    def ready():
        try:
            return redis_command(url, "PING") == "+PONG"
        except OSError:
            return False

    command = [executable, "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no"]
    with running(command, ready, "redis-server"):
        yield url


@contextmanager
def s3_server():
    """moto's S3-compatible server; yields its endpoint URL."""
    require(
        importlib.util.find_spec("moto") and importlib.util.find_spec("flask"),
        "moto's server mode is not installed (pip install -r requirements-dev.txt)",
    )
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"

    def ready():
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2):
                return True
        except OSError:
            return False

    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with running(command, ready, "moto server"):
        yield endpoint
