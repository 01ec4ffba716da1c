"""docker-compose.yml parses and agrees with the code: commands, ports, URLs, settings."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pluggy
import pytest
import rasa_sdk.plugin
import yaml

from bot.app import create_app
from launcher.services import plan_services
from settings import REPO_ROOT, Settings

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
DEFAULTS = {name: field.default for name, field in Settings.model_fields.items()}


def option(command: list[str], flag: str) -> str:
    assert flag in command, f"{flag} missing from {command}"
    return command[command.index(flag) + 1]


def env_of(service: str) -> dict[str, str]:
    """The service's environment with `${VAR...}` interpolated as compose would (dummy value)."""
    environment = SERVICES[service].get("environment", {})
    return {
        key: re.sub(r"\$\{[^}]*\}", "interpolated", str(value))
        for key, value in environment.items()
    }


def local_plan() -> dict[str, list[str]]:
    specs = plan_services(Settings(), model=Path("m.tar.gz"), endpoints=Path("endpoints.yml"))
    return {spec.name: [str(part) for part in spec.command] for spec in specs}


def test_the_production_shaped_parts_are_there() -> None:
    assert {"postgres", "redis", "rasa", "actions", "gateway"} <= set(SERVICES)
    for name in ("rasa", "actions", "gateway", "migrate"):
        dockerfile = REPO_ROOT / SERVICES[name]["build"]["dockerfile"]
        assert dockerfile.is_file(), dockerfile


def test_rasa_runs_like_make_run_on_the_default_port() -> None:
    command = SERVICES["rasa"]["command"]
    local = local_plan()["rasa"]

    assert command[:3] == ["rasa", "run", "--enable-api"]
    assert option(command, "--port") == str(urlsplit(DEFAULTS["rasa_url"]).port) == "5005"
    assert option(command, "--credentials") == option(local, "--credentials")
    assert "5005" in SERVICES["rasa"]["expose"]
    model = option(command, "--model")
    dockerfile = (REPO_ROOT / SERVICES["rasa"]["build"]["dockerfile"]).read_text()
    assert f"--fixed-model-name {Path(model).name.removesuffix('.tar.gz')}" in dockerfile
    assert (REPO_ROOT / option(command, "--endpoints")).is_file()


def test_rasa_endpoints_reach_the_action_server_and_keep_the_tracker_store() -> None:
    endpoints = yaml.safe_load(
        (REPO_ROOT / option(SERVICES["rasa"]["command"], "--endpoints")).read_text()
    )
    action_url = urlsplit(endpoints["action_endpoint"]["url"])
    actions_port = option(SERVICES["actions"]["command"], "--port")

    assert action_url.hostname == "actions"
    assert str(action_url.port) == actions_port == str(urlsplit(DEFAULTS["action_server_url"]).port)
    assert action_url.path == "/webhook"
    assert endpoints["lock_store"]["type"] == "redis"
    assert endpoints["lock_store"]["url"] == "redis"
    repo_endpoints_file = REPO_ROOT / "endpoints.yml"
    if repo_endpoints_file.exists():
        repo_endpoints = yaml.safe_load(repo_endpoints_file.read_text())
        assert urlsplit(repo_endpoints["action_endpoint"]["url"]).path == "/webhook"
        assert endpoints.get("tracker_store") == repo_endpoints.get("tracker_store")


def test_rasa_api_needs_the_token_from_the_env_file() -> None:
    command = SERVICES["rasa"]["command"]

    assert option(command, "--auth-token") == "${RASA_AUTH_TOKEN:?set RASA_AUTH_TOKEN in .env}"
    assert "--auth-token" in local_plan()["rasa"]
    dockerfile = (REPO_ROOT / SERVICES["rasa"]["build"]["dockerfile"]).read_text()
    assert '--auth-token \\"${RASA_AUTH_TOKEN:?' in dockerfile


def test_forwarded_headers_are_believed_from_trusted_proxies_never_everyone() -> None:
    command = SERVICES["gateway"]["command"]

    assert option(command, "--forwarded-allow-ips") == "${TRUSTED_PROXIES:-}"
    assert "trusted_proxies" in DEFAULTS
    for path in [REPO_ROOT / "docker-compose.yml", *(REPO_ROOT / "docker").iterdir()]:
        text = path.read_text()
        assert not re.search(r"forwarded-allow-ips\W+\*", text), path
        if "--proxy-headers" in text:
            assert "TRUSTED_PROXIES" in text, path


def test_action_server_command_matches_make_run() -> None:
    command = SERVICES["actions"]["command"]
    local = local_plan()["actions"]

    assert command[1:] == local[1:]  # the same module, actions package and port


def test_gateway_port_and_command_match_the_settings() -> None:
    command = SERVICES["gateway"]["command"]
    env = env_of("gateway")

    assert command[:2] == ["uvicorn", "bot.app:app"]
    assert option(command, "--port") == str(DEFAULTS["gateway_port"]) == env["GATEWAY_PORT"]
    assert SERVICES["gateway"]["ports"] == [f"{DEFAULTS['gateway_port']}:{env['GATEWAY_PORT']}"]
    assert "bot.app:app" in local_plan()["gateway"]


@pytest.mark.parametrize("service", ["gateway", "actions", "migrate", "notifier"])
def test_apps_reach_postgres_rasa_and_actions_by_service_name(service: str) -> None:
    env = env_of(service)
    database = urlsplit(env["DATABASE_URL"])
    postgres = env_of("postgres")

    assert database.scheme == "postgresql+psycopg"
    assert database.hostname == "postgres" and database.port == 5432
    assert database.path.lstrip("/") == postgres["POSTGRES_DB"]
    assert database.username == postgres["POSTGRES_USER"]
    assert env["RASA_URL"] == f"http://rasa:{option(SERVICES['rasa']['command'], '--port')}"
    assert env["ACTION_SERVER_URL"] == (
        f"http://actions:{option(SERVICES['actions']['command'], '--port')}"
    )
    assert env["ENVIRONMENT"] == "production"
    for key in env:
        assert key.lower() in DEFAULTS, f"{service}: {key} is not a Settings field"


def test_migrations_run_before_the_action_server() -> None:
    assert SERVICES["migrate"]["command"] == ["python", "-m", "catalog.cli", "migrate-and-import"]
    depends = SERVICES["actions"]["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert SERVICES["rasa"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_the_notifier_runs_like_make_run() -> None:
    notifier = SERVICES["notifier"]

    assert not notifier.get("profiles"), "started with the rest of the stack"
    assert notifier["command"][1:] == local_plan()["notifier"][1:]
    assert (REPO_ROOT / notifier["build"]["dockerfile"]).is_file()
    assert notifier["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # The gateway image's HTTP health check does not apply to a process without a port.
    assert notifier["healthcheck"] == {"disable": True}


def test_makefile_runs_the_launcher() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert re.search(r"^run:.*\n\t\$\(PY\) -m launcher\b", makefile, re.MULTILINE)


def test_env_example_lists_every_setting() -> None:
    example = (REPO_ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))

    missing = sorted(name.upper() for name in DEFAULTS if name.upper() not in listed)
    assert not missing, f".env.example lacks: {', '.join(missing)}"
    unknown = sorted(listed - {n.upper() for n in DEFAULTS} - {"POSTGRES_PASSWORD"})
    assert not unknown, f".env.example has no such setting: {', '.join(unknown)}"
    for secret in ("TWILIO_AUTH_TOKEN", "ADMIN_SESSION_SECRET", "TELEGRAM_WEBHOOK_SECRET"):
        assert re.search(rf"^{secret}=.*change-me", example, re.MULTILINE), secret


def scrape_targets() -> dict[str, tuple[str, str]]:
    """docker/prometheus.yml's jobs: name → (host:port, metrics path)."""
    volume = next(v for v in SERVICES["prometheus"]["volumes"] if v.endswith(":ro"))
    source, target, _ = volume.split(":")
    assert f"--config.file={target}" in SERVICES["prometheus"]["command"]
    config = yaml.safe_load((REPO_ROOT / source).read_text())
    return {
        job["job_name"]: (job["static_configs"][0]["targets"][0], job["metrics_path"])
        for job in config["scrape_configs"]
    }


def test_prometheus_is_optional_and_scrapes_the_three_processes() -> None:
    prometheus = SERVICES["prometheus"]
    targets = scrape_targets()

    assert prometheus["profiles"] == ["monitoring"], "not started with the default stack"
    assert all(port.startswith("127.0.0.1:") for port in prometheus["ports"])
    assert set(targets) == {"gateway", "actions", "notifier"}
    assert all(path == "/metrics" for _, path in targets.values())
    gateway_port = option(SERVICES["gateway"]["command"], "--port")
    assert targets["gateway"][0] == f"gateway:{gateway_port}"
    assert targets["actions"][0] == f"actions:{option(SERVICES['actions']['command'], '--port')}"


def test_the_notifier_serves_metrics_where_prometheus_looks() -> None:
    env = env_of("notifier")
    host, port = scrape_targets()["notifier"][0].split(":")

    assert host == "notifier" and env["NOTIFIER_METRICS_PORT"] == port
    assert env["NOTIFIER_METRICS_HOST"] == "0.0.0.0"  # reachable from the Prometheus container
    assert port in SERVICES["notifier"]["expose"]
    assert DEFAULTS["notifier_metrics_port"] is None, "off unless configured"


def test_gateway_and_action_server_serve_metrics_on_their_own_port() -> None:
    app = create_app(Settings(environment="test"))
    assert "/metrics" in {getattr(route, "path", None) for route in app.routes}
    # rasa_sdk imports the package of this exact name, and its hook adds /metrics.
    manager = pluggy.PluginManager("rasa_sdk")
    manager.add_hookspecs(rasa_sdk.plugin)
    importlib.import_module("rasa_sdk_plugins").init_hooks(manager)
    assert manager.hook.attach_sanic_app_extensions.get_hookimpls()
