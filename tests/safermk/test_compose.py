"""docker-compose.yml cannot be started here (no Docker engine), so its shape
is checked instead: the services the README promises, their commands and
health checks, and the volumes."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_stack_with_health_checks():
    services = _compose()["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    assert services["web"]["command"].startswith("gunicorn safermk.wsgi:application")
    assert "celery -A safermk worker" in services["worker"]["command"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_keeps_the_database_in_a_volume_and_points_the_app_at_it():
    compose = _compose()
    assert "postgres-data" in compose["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    env = compose["services"]["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://safermk:")
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    for app in ("web", "worker", "beat"):
        depends = compose["services"][app]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"


def test_the_readme_says_how_to_start_the_stack():
    readme = (ROOT / "README.md").read_text()
    assert "docker compose up -d --build" in readme
    assert "make run" in readme and "make test" in readme
