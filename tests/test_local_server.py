"""local_server: starts an OpenAI-compatible server command, waits for /v1/models, ends its whole
process group on exit, and reports a server that dies before it is ready."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import psutil
import pytest
from vllm_server_support import free_port, local_server

from coderforge.errors import BackendError

# A stand-in server (the real ones, vLLM's and llama.cpp's, are started by the backend tests and
# the benchmark): answers /v1/models, and starts a child that must end with it.
SERVER = """
import http.server, subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/v1/models" else 404)
        self.end_headers()
        self.wfile.write(b'{"data": []}')
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"""


def test_server_is_ready_then_its_process_group_ends(tmp_path: Path) -> None:
    port = free_port()
    with local_server([sys.executable, "-c", SERVER, str(port)], port=port, log_path=tmp_path / "log", env={},
                      startup_timeout_s=60, what="test server") as url:
        assert httpx.get(f"{url}/models").status_code == 200
        (server,) = [p for p in psutil.process_iter(["cmdline"]) if str(port) in " ".join(p.info["cmdline"] or [])]
        family = [server, *server.children(recursive=True)]
        assert len(family) == 2
    _, alive = psutil.wait_procs(family, timeout=10)
    assert not alive


def test_a_server_that_exits_early_is_reported(tmp_path: Path) -> None:
    server = local_server([sys.executable, "-c", "raise SystemExit(3)"], port=free_port(), log_path=tmp_path / "log",
                          env={}, startup_timeout_s=60, what="test server")
    with pytest.raises(BackendError, match=r"test server exited with status 3; see .*log"), server:
        pass
