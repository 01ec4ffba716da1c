"""The stack's plan follows the settings: ports, simulators on or off, Rasa's endpoints."""

from __future__ import annotations

from pathlib import Path

import yaml

from launcher.services import endpoints_for, plan_services, settings_env
from settings import Settings


def plan(**overrides: object) -> dict[str, list[str]]:
    settings = Settings(**overrides)  # type: ignore[arg-type]
    specs = plan_services(settings, model=Path("models/m.tar.gz"), endpoints=Path("e.yml"))
    return {spec.name: list(spec.command) for spec in specs}


def test_default_ports_and_commands() -> None:
    commands = plan()

    rasa = commands["rasa"]
    assert rasa[1:3] == ["run", "--enable-api"]
    assert rasa[rasa.index("--port") + 1] == "5005"
    assert rasa[rasa.index("-i") + 1] == "127.0.0.1"
    assert rasa[rasa.index("--credentials") + 1] == "credentials.yml"
    assert rasa[rasa.index("--model") + 1] == "models/m.tar.gz"
    assert commands["actions"][1:] == ["-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]
    gateway = commands["gateway"]
    assert "bot.app:app" in gateway
    assert gateway[gateway.index("--port") + 1] == "8000"
    assert list(commands)[-3:] == ["actions", "rasa", "gateway"]
    assert commands["notifier"][1:] == ["-m", "notifier", "--role", "all"]
    assert list(commands)[-4:] == ["notifier", "actions", "rasa", "gateway"]


def test_the_notifier_has_no_port_and_can_be_left_out() -> None:
    specs = plan_services(Settings(), model=Path("models/m.tar.gz"), endpoints=Path("e.yml"))
    notifier = next(spec for spec in specs if spec.name == "notifier")
    without = plan_services(
        Settings(), model=Path("models/m.tar.gz"), endpoints=Path("e.yml"), notifier=False
    )

    assert notifier.health_url is None  # ready once it stays up (no HTTP port)
    assert notifier.env["DATABASE_URL"] == Settings().database_url
    assert "notifier" not in {spec.name for spec in without}


def test_ports_come_from_the_settings() -> None:
    commands = plan(
        rasa_url="http://127.0.0.1:6005",
        action_server_url="http://127.0.0.1:6055",
        gateway_port=9000,
    )

    assert commands["rasa"][commands["rasa"].index("--port") + 1] == "6005"
    assert commands["actions"][-1] == "6055"
    assert commands["gateway"][commands["gateway"].index("--port") + 1] == "9000"


def test_a_real_provider_turns_its_simulator_off() -> None:
    local = plan()
    real = plan(
        twilio_base_url=None,
        telegram_base_url="https://api.telegram.org",
        onestop_base_url="https://motcua.example.gov.vn",
        zalo_base_url="https://openapi.zalo.me",
    )

    assert not any(name.startswith("sim-") for name in real)
    if "sim-twilio" in local:  # present once the Twilio simulator exists
        assert local["sim-twilio"][-2:] == ["--port", "8200"]
    assert local["sim-zalo"][-2:] == ["--port", "8400"]


def test_endpoints_point_rasa_at_the_configured_action_server(tmp_path: Path) -> None:
    source = tmp_path / "endpoints.yml"
    source.write_text(
        "action_endpoint:\n  url: http://127.0.0.1:5055/webhook\n"
        "tracker_store:\n  type: rasa_ext.tracker_store.WindowedTrackerStore\n  max_turns: 8\n"
    )

    same = endpoints_for(Settings(), tmp_path / "out", source)
    moved = endpoints_for(
        Settings(action_server_url="http://127.0.0.1:6055"), tmp_path / "out", source
    )

    assert same == source
    written = yaml.safe_load(moved.read_text())
    assert written["action_endpoint"]["url"] == "http://127.0.0.1:6055/webhook"
    assert written["tracker_store"]["max_turns"] == 8


def test_children_get_every_setting_including_secrets() -> None:
    env = settings_env(Settings(database_url="sqlite:///x.db", onestop_auth_header=None))

    assert env["DATABASE_URL"] == "sqlite:///x.db"
    assert env["TWILIO_AUTH_TOKEN"] == Settings().twilio_auth_token.get_secret_value()
    assert "ONESTOP_AUTH_HEADER" not in env  # None is left unset


def test_rasa_processes_start_on_consecutive_ports_and_the_gateway_knows_them() -> None:
    settings = Settings(rasa_processes=2)
    specs = plan_services(settings, model=Path("models/m.tar.gz"), endpoints=Path("e.yml"))
    rasas = [spec for spec in specs if spec.name.startswith("rasa")]
    gateway = next(spec for spec in specs if spec.name == "gateway")

    assert [spec.name for spec in rasas] == ["rasa", "rasa-2"]
    ports = [list(spec.command)[list(spec.command).index("--port") + 1] for spec in rasas]
    assert ports == ["5005", "5006"]
    assert [spec.health_url for spec in rasas] == [
        "http://127.0.0.1:5005/",
        "http://127.0.0.1:5006/",
    ]
    # The gateway reads its settings from this environment: it sends to the same two.
    env = gateway.env
    gateway_settings = Settings(
        rasa_url=env["RASA_URL"],
        rasa_urls=env.get("RASA_URLS", ""),
        rasa_processes=int(env["RASA_PROCESSES"]),
    )
    assert gateway_settings.rasa_url_list() == ["http://127.0.0.1:5005", "http://127.0.0.1:5006"]


def test_one_rasa_process_by_default() -> None:
    assert [name for name in plan() if name.startswith("rasa")] == ["rasa"]


def test_rasa_api_needs_the_configured_token() -> None:
    token = "rasa-token-0123456789abcdef"
    commands = plan(rasa_auth_token=token, rasa_processes=2)

    for name in ("rasa", "rasa-2"):
        assert commands[name][commands[name].index("--auth-token") + 1] == token


def test_the_gateway_believes_forwarded_headers_from_the_trusted_proxies_only() -> None:
    behind_proxies = plan(trusted_proxies="10.0.0.2,10.1.0.0/16")["gateway"]
    direct = plan()["gateway"]

    assert behind_proxies[behind_proxies.index("--forwarded-allow-ips") + 1] == (
        "10.0.0.2,10.1.0.0/16"
    )
    # Empty trusts nobody (uvicorn's own default would trust 127.0.0.1).
    assert direct[direct.index("--forwarded-allow-ips") + 1] == ""
