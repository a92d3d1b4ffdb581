"""The commands a user runs: `python -m local_runner run` (until a signal) and `... invoke`."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_until(stream, marker: str, timeout: float) -> str:
    """The process's output up to the marker line; a reader thread keeps the wait bounded."""
    lines: list[str] = []
    done = threading.Event()

    def read() -> None:
        for line in stream:
            lines.append(line)
            if marker in line:
                break
        done.set()

    threading.Thread(target=read, daemon=True).start()
    done.wait(timeout)
    return "".join(lines)


def test_run_prints_a_working_credential_and_stops_cleanly_on_sigint(tmp_path: Path):
    port = free_port()
    log = (tmp_path / "stderr.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "local_runner", "run", "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        output = read_until(process.stdout, "Press Ctrl-C", STARTUP_SECONDS)
        assert "Press Ctrl-C" in output, output

        def field(label: str) -> str:
            return re.search(rf"{label}:\s+(\S+)", output).group(1)

        base_url = field("Base URL")
        assert base_url == f"http://127.0.0.1:{port}"
        headers = {"X-API-Key": field("API key"), "X-Secret-Key": field("Secret"), "X-Account-ID": field("Account ID")}
        assert f"curl -s {base_url}/api/v1/credentials -H 'X-API-Key: {headers['X-API-Key']}'" in output
        assert "from scheduler0 import Client" in output and "client.list_credentials()" in output

        # What the printed curl line does.
        response = requests.get(f"{base_url}/api/v1/credentials", headers=headers, timeout=30)
        assert response.status_code == 200
        assert response.json()["data"]["credentials"][0]["apiKey"] == headers["X-API-Key"]
        created = requests.post(f"{base_url}/api/v1/credentials", json={"createdBy": "run"}, headers=headers,
                                timeout=30).json()["data"]
        # The printed operator login works too (Basic auth from the SSM parameter the runner seeded).
        operator = (field("Username"), field("Password"))
        as_operator = requests.get(f"{base_url}/api/v1/credentials", auth=operator, timeout=30,
                                   headers={"X-Peer": "cmd", "X-Account-ID": headers["X-Account-ID"]})
        assert as_operator.status_code == 200 and as_operator.json()["data"]["total"] == 2

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{base_url}/api/v1/credentials", headers=headers, timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        log.close()
    # The runner's and the functions' logs: request lines and JSON logs, never a secret.
    logs = (tmp_path / "stderr.log").read_text()
    assert "GET /api/v1/credentials -> 200" in logs
    assert headers["X-Secret-Key"] not in logs and created["plaintextSecret"] not in logs
    assert operator[1] not in logs


def test_run_stops_cleanly_on_sigterm_too():
    process = subprocess.Popen([sys.executable, "-m", "local_runner", "run", "--port", str(free_port())],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert "Press Ctrl-C" in read_until(process.stdout, "Press Ctrl-C", STARTUP_SECONDS)
        process.terminate()
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_invoke_runs_a_function_on_a_sample_event():
    event = ROOT / "events" / "list_credentials" / "default.json"
    if not event.is_file():
        pytest.skip("no sample event for the list function yet")
    result = subprocess.run([sys.executable, "-m", "local_runner", "invoke", "ListCredentialsFunction", "-e",
                             str(event)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"data": {"total": 0, "offset": 0, "limit": 10, "credentials": []},
                                            "success": True}  # a fresh, empty local table
