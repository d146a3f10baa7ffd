"""The sign-in and session settings come from the environment and fail
loudly, naming the variable, when they cannot be used."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SIGN_IN_", "SESSION_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_old_sign_in_rate_variables_stop_start_up_and_name_their_replacements():
    result = _check({"SIGN_IN_RATE_PER_USERNAME": "10/10m"})
    assert result.returncode != 0
    assert "SIGN_IN_RATE_PER_USERNAME is no longer read" in result.stderr
    assert "SIGN_IN_FAILURE_LIMIT" in result.stderr


def test_a_lock_out_of_no_minutes_or_a_timeout_of_words_is_refused():
    result = _check({"SIGN_IN_LOCKOUT_MINUTES": "0"})
    assert result.returncode != 0 and "SIGN_IN_LOCKOUT_MINUTES must be 1 or more" in result.stderr
    result = _check({"SESSION_IDLE_TIMEOUT_MINUTES": "two hours"})
    assert result.returncode != 0 and "SESSION_IDLE_TIMEOUT_MINUTES" in result.stderr


def test_the_settings_are_read_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.AXES_FAILURE_LIMIT, s.SIGN_IN_FAILURES_PER_ADDRESS, "
            "int(s.AXES_COOLOFF_TIME.total_seconds()), s.SESSION_IDLE_TIMEOUT_MINUTES)",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "safermk.settings",
            "SIGN_IN_FAILURE_LIMIT": "5",
            "SIGN_IN_FAILURES_PER_ADDRESS": "40",
            "SIGN_IN_LOCKOUT_MINUTES": "15",
            "SESSION_IDLE_TIMEOUT_MINUTES": "60",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["5", "40", "900", "60"], result.stderr
