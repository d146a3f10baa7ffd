#!/usr/bin/env python
"""Runs the app locally: the web server and a Celery worker with beat.

Started by `make run` after migrations and the demo data. Ctrl-C stops
everything. With REDIS_URL set, the worker uses Redis; otherwise the embedded
file-system broker in var/broker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ADDRESS = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    commands = {
        "web": [PYTHON, "manage.py", "runserver", ADDRESS],
        "worker": [
            PYTHON, "-m", "celery", "-A", "safermk", "worker", "--beat",
            "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
            "--pool", "solo", "--loglevel", "INFO",
            "--schedule", str(ROOT / "var" / "celerybeat-schedule"),
        ],
    }
    processes = {name: subprocess.Popen(cmd, cwd=ROOT) for name, cmd in commands.items()}
    broker = "Redis" if os.environ.get("REDIS_URL") else "the embedded file-system broker"
    print(f"\nSaferMK Strategy is running at http://{ADDRESS}/ (worker and beat on {broker}).")
    _print_demo_summary()
    print("Press Ctrl-C to stop.\n", flush=True)

    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    try:
        while not stopping:
            for name, process in processes.items():
                code = process.poll()
                if code is not None:
                    print(f"The {name} process stopped (exit code {code}); stopping the rest.")
                    exit_code = code or 1
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        print("Stopped.")
    return exit_code


def _print_demo_summary() -> None:
    """The demo users, and the open consultation with its schools class code."""
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from safermk.demo import summary_lines

        print("\n".join(summary_lines(base_url=f"http://{ADDRESS}")) + "\n", flush=True)
    except Exception as exc:  # the app runs without it; say why it is missing
        print(f"(The demo summary could not be read: {exc})\n", flush=True)


if __name__ == "__main__":
    sys.exit(main())
