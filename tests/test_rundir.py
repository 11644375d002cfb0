"""A generate run folder's safety: one writer at a time, each session's settings kept, a damaged
graph snapshot set aside, and provenance without credentials or host paths."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.config import validate_data
from coderforge.generate_run import RunMismatchError, _check_fingerprint
from coderforge.rundir import (
    LOCK_FILE,
    RUN_FILE,
    RunLockedError,
    public_provenance,
    record_session,
    run_lock,
    seed_fingerprint,
)

_HOLD = ("import sys\nfrom pathlib import Path\nfrom coderforge.rundir import run_lock\n"
         "with run_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n    sys.stdin.read()\n")


def test_second_generate_into_a_locked_folder_fails_naming_the_holder(tmp_path: Path) -> None:
    out, corpus = tmp_path / "run", tmp_path / "corpus"
    corpus.mkdir()
    config = tmp_path / "config.yaml"
    config.write_text(f"generate:\n  corpus:\n    python: [{corpus}]\n")
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        result = CliRunner().invoke(app, ["generate", "--config", str(config), "--out", str(out)])
        assert result.exit_code == 1, result.output
        assert f"in use by another generate run (pid {holder.pid} on {socket.gethostname()}, started" in result.output
        assert not (out / RUN_FILE).exists() and not (out / "events.jsonl").exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # A killed holder leaves no stale lock.
    with run_lock(out):
        assert json.loads((out / LOCK_FILE).read_text())["pid"] == os.getpid()
        with pytest.raises(RunLockedError, match=f"pid {os.getpid()}"), run_lock(out):
            pass


def test_each_session_is_appended_to_run_json(tmp_path: Path) -> None:
    first = validate_data({"sandbox": {"timeout_s": 5}, "generate": {"instructions_per_language": 4}})
    resumed = validate_data({"sandbox": {"timeout_s": 9}, "generate": {"instructions_per_language": 6},
                             "filters": {"stages": ["parse", "sandbox"]}})
    (tmp_path / RUN_FILE).write_text(json.dumps({"config": first.model_dump(mode="json")}))  # an older run's file
    record_session(tmp_path, first, seed_ids=["python-b", "python-a"])
    _check_fingerprint(tmp_path, resumed)
    record_session(tmp_path, resumed, seed_ids=["python-a", "python-c"])
    data = json.loads((tmp_path / RUN_FILE).read_text())
    assert data["config"]["sandbox"]["timeout_s"] == 5  # the first session's, what resumes are checked against
    sessions = data["sessions"]
    assert [s["config"]["sandbox"]["timeout_s"] for s in sessions] == [5, 9]
    assert sessions[1]["config"]["filters"]["stages"] == ["parse", "sandbox"]
    assert [s["seeds"] for s in sessions] == [seed_fingerprint(["python-a", "python-b"]),
                                              seed_fingerprint(["python-c", "python-a"])]
    assert sessions[0]["seeds"] != sessions[1]["seeds"]
    with pytest.raises(RunMismatchError, match=r"generate\.seed"):
        _check_fingerprint(tmp_path, validate_data({"generate": {"seed": 3}}))


def test_output_settings_may_change_on_resume(tmp_path: Path) -> None:
    # The outputs are rebuilt from the whole log each session. A run made before the `outputs`
    # section recorded these settings under generate; it resumes all the same.
    older = validate_data({}).model_dump(mode="json")
    older["generate"].update(older.pop("outputs"))
    (tmp_path / RUN_FILE).write_text(json.dumps({"config": older}))
    _check_fingerprint(tmp_path, validate_data({"outputs": {"fine_fraction": 0.2, "chatml": True}}))


def test_damaged_run_json_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    from coderforge.errors import CoderforgeError

    (tmp_path / RUN_FILE).write_text('{"config": {"generate"')
    with pytest.raises(CoderforgeError, match=r"run\.json cannot be read"):
        _check_fingerprint(tmp_path, validate_data({}))
    with pytest.raises(CoderforgeError, match=r"run\.json cannot be read"):
        record_session(tmp_path, validate_data({}), seed_ids=[])
    assert (tmp_path / RUN_FILE).read_text() == '{"config": {"generate"'  # left for the user to restore


def test_provenance_keeps_listed_fields_without_credentials_or_host_paths() -> None:
    config = validate_data({
        "backend": {"kind": "openai", "model": "/home/alice/models/coder-7b",
                    "endpoints": [{"url": "https://alice:hunter2@llm.example:8443/v1?api_key=sk-123",
                                   "api_key_env": "LLM_KEY"}]},
        "generate": {"corpus": {"python": ["/home/alice/private-repo"]}, "seed": 7},
        "outputs": {"fine_fraction": 0.3},
        "sandbox": {"work_root": "/srv/scratch", "cache_dir": "/home/alice/.cache/x"},
        "filters": {"decontam": {"benchmark_dir": "/home/alice/bench"}},
    })
    tokens = {"solution": {"requests": 2, "prompt_tokens": 300, "completion_tokens": 90}, "repair": {}}
    provenance = public_provenance(config, models=["/home/alice/models/coder-7b"], events=3, seconds=1.26,
                                   tokens=tokens)
    text = json.dumps(provenance)
    for secret in ("hunter2", "alice", "sk-123", "/srv", "/home"):
        assert secret not in text, (secret, text)
    cfg = provenance["config"]
    assert cfg["backend.endpoints"] == [{"url": "https://***@llm.example:8443/v1?***", "api_key_env": "LLM_KEY"}]
    assert cfg["backend.model"] == "coder-7b" and provenance["models"] == ["coder-7b"]
    assert cfg["generate.seed"] == 7 and cfg["outputs.fine_fraction"] == 0.3 and cfg["sandbox.backend"] == "bwrap"
    assert (provenance["events"], provenance["seconds_this_session"]) == (3, 1.3)
    assert provenance["tokens_this_session"] == {"solution": tokens["solution"]}, "roles that asked nothing left out"
