"""What the assistant's stack is made of: one `ServiceSpec` per process, from `Settings`.

Rasa, the action server, the gateway and the notifier (status-change SMS and chat
messages, subscription codes) run by default; each simulator runs when its module exists
and its service points at this machine (a real provider's URL turns it off).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bot.rasa_pool import rasa_part_name
from launcher.model import RASA_BIN, rasa_env
from launcher.stack import ServiceSpec, answers_at_all
from settings import REPO_ROOT, Settings

__all__ = [
    "LOOPBACK_HOSTS",
    "endpoints_for",
    "plan_services",
    "prepare_database",
    "settings_env",
    "url_port",
]

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Rasa loads TensorFlow and the model before it answers: allow for a slow machine (the
# shared 2-core machine at a load average of ~17 took over 240 s to load the model).
RASA_READY_SECONDS = 600.0


def url_port(url: str, default: int = 80) -> int:
    """The port of `url` (its scheme's default when it names none)."""
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else default)


def _is_local(url: str | None) -> bool:
    return bool(url) and urlsplit(url or "").hostname in LOOPBACK_HOSTS


def settings_env(settings: Settings) -> dict[str, str]:
    """`settings` as environment variables, so that every child reads the same values."""
    env: dict[str, str] = {}
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        secret = getattr(value, "get_secret_value", None)
        env[name.upper()] = str(secret() if secret else value)
    return env


def endpoints_for(settings: Settings, out_dir: Path, source: Path | None = None) -> Path:
    """`endpoints.yml` with the action endpoint at `settings.action_server_url`.

    The committed file is used as is when it already agrees; otherwise a copy is written
    to `out_dir` (free ports in tests, another host in a custom set-up).
    """
    source = source or REPO_ROOT / "endpoints.yml"
    endpoints = yaml.safe_load(source.read_text()) or {}
    wanted = settings.action_server_url.rstrip("/") + "/webhook"
    if (endpoints.get("action_endpoint") or {}).get("url") == wanted:
        return source
    endpoints["action_endpoint"] = {**(endpoints.get("action_endpoint") or {}), "url": wanted}
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "endpoints.yml"
    target.write_text(yaml.safe_dump(endpoints, allow_unicode=True, sort_keys=False))
    return target


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def plan_services(
    settings: Settings,
    *,
    model: Path,
    endpoints: Path,
    python: str = sys.executable,
    simulators: bool = True,
    notifier: bool = True,
) -> list[ServiceSpec]:
    """The processes to run for `settings`, in the order they should become ready."""
    env = settings_env(settings)
    app_env = {**rasa_env(), **env, "PYTHONUNBUFFERED": "1"}
    specs: list[ServiceSpec] = []
    if simulators:
        specs += _simulator_specs(settings, python, app_env)
    if notifier:
        specs.append(_notifier_spec(python, app_env))
    specs.append(_actions_spec(settings, python, app_env))
    specs += _rasa_specs(settings, model, endpoints, app_env)
    specs.append(_gateway_spec(settings, python, app_env))
    return specs


def _notifier_spec(python: str, env: dict[str, str]) -> ServiceSpec:
    """The watcher and the senders in one process (on SQLite, one sender only).

    It has no HTTP port: ready once it has stayed up past start-up.
    """
    return ServiceSpec(
        name="notifier",
        description="notifier (watcher + senders)",
        command=[python, "-m", "notifier", "--role", "all"],
        url="(no port)",
        health_url=None,
        env=env,
    )


def _actions_spec(settings: Settings, python: str, env: dict[str, str]) -> ServiceSpec:
    """The action server (rasa_sdk) on the port of `settings.action_server_url`."""
    actions_port = url_port(settings.action_server_url)
    return ServiceSpec(
        name="actions",
        description="action server",
        command=[python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
        url=settings.action_server_url,
        health_url=settings.action_server_url.rstrip("/") + "/health",
        env=env,
    )


def _gateway_spec(settings: Settings, python: str, env: dict[str, str]) -> ServiceSpec:
    """The gateway (uvicorn) that serves the web chat and the channels' webhooks."""
    gateway_url = f"http://{settings.gateway_host}:{settings.gateway_port}"
    return ServiceSpec(
        name="gateway",
        description="gateway + web chat",
        command=[
            python,
            "-m",
            "uvicorn",
            "bot.app:app",
            "--host",
            settings.gateway_host,
            "--port",
            str(settings.gateway_port),
            "--no-access-log",
            "--no-server-header",
            # X-Forwarded-For/-Proto are believed from these proxies only (empty: none).
            "--forwarded-allow-ips",
            settings.trusted_proxies,
            "--timeout-graceful-shutdown",
            "5",
        ],  # fmt: skip
        url=gateway_url + "/",
        health_url=gateway_url + "/health",
        env=env,
    )


def _rasa_specs(
    settings: Settings, model: Path, endpoints: Path, env: dict[str, str]
) -> list[ServiceSpec]:
    """One `rasa run` per local URL of `settings.rasa_url_list()` (RASA_PROCESSES)."""
    urls = settings.rasa_url_list()
    specs = []
    for index, url in enumerate(urls):
        if index > 0 and not _is_local(url):
            continue  # a Rasa elsewhere is started by whoever runs that machine
        specs.append(
            ServiceSpec(
                name=rasa_part_name(index),
                description="Rasa server" if len(urls) == 1 else f"Rasa server {index + 1}",
                command=[
                    str(RASA_BIN),
                    "run",
                    "--enable-api",
                    # The API (trackers, models) needs `?token=`; the channel webhook does not.
                    "--auth-token",
                    settings.rasa_auth_token.get_secret_value(),
                    "--model",
                    str(model),
                    "--endpoints",
                    str(endpoints),
                    "--credentials",
                    "credentials.yml",
                    "--port",
                    str(url_port(url)),
                    "-i",
                    urlsplit(url).hostname or "127.0.0.1",
                ],  # fmt: skip
                url=url,
                health_url=url.rstrip("/") + "/",
                env=env,
                ready_timeout=RASA_READY_SECONDS,
            )
        )
    return specs


def _simulator_specs(settings: Settings, python: str, env: dict[str, str]) -> list[ServiceSpec]:
    wanted = [
        ("onestop", "one-stop simulator", settings.onestop_base_url, "/"),
        ("twilio", "Twilio simulator", settings.twilio_base_url, "/_sim/messages"),
        ("telegram", "Telegram simulator", settings.telegram_base_url, "/"),
        ("zalo", "Zalo OA simulator", settings.zalo_base_url, "/"),
    ]
    specs = []
    for name, description, base_url, probe in wanted:
        # A real provider is configured (non-local URL, or None for Twilio's own API).
        if (
            not base_url
            or not _is_local(base_url)
            or not _module_exists(f"simulators.{name}.__main__")
        ):
            continue
        port = url_port(base_url)
        specs.append(
            ServiceSpec(
                name=f"sim-{name}",
                description=description,
                command=[python, "-m", f"simulators.{name}", "--port", str(port)],
                url=base_url,
                health_url=base_url.rstrip("/") + probe,
                env=env,
                ready=answers_at_all,
            )
        )
    return specs


def prepare_database(database_url: str, python: str = sys.executable) -> None:
    """Migrate the schema and import the catalog (idempotent; the catalog's own CLI)."""
    subprocess.run(
        [python, "-m", "catalog.cli", "migrate-and-import", "--database-url", database_url],
        cwd=REPO_ROOT,
        env=rasa_env(),
        check=True,
    )
