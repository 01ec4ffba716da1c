"""Helpers shared by the Twilio and Telegram simulators.

- `TokenBucket`: the rate limiter both simulators use to answer 429 like the real APIs.
- `matches_any`: number/ID patterns in configuration (`+8490*` is a prefix, else exact).
- `config_from_env`, `add_config_arguments`, `config_from_args`, `apply_overrides`: one
  dataclass per simulator describes its settings; environment variables (with a prefix),
  command-line flags and the `POST /_sim/config` admin call are all derived from it.
- `BackgroundTasks`: what a simulator runs after answering (callbacks, webhook retries).
- `running_server`: runs an ASGI app with uvicorn on a free port in a background thread
  (tests and benchmarks use it to talk to a simulator over real HTTP).
- `SimulatorConfig`, `serve`: what every simulator's settings start with (where it
  listens), and the `python -m simulators.<name>` command line of a simulator.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import math
import os
import threading
import time
import types
import typing
from collections.abc import Callable, Coroutine, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import uvicorn

__all__ = [
    "BackgroundTasks",
    "TokenBucket",
    "matches_any",
    "config_from_env",
    "add_config_arguments",
    "config_from_args",
    "apply_overrides",
    "running_server",
    "serve",
    "SimulatorConfig",
]

ConfigT = TypeVar("ConfigT")
SimConfigT = TypeVar("SimConfigT", bound="SimulatorConfig")


@dataclasses.dataclass(frozen=True)
class SimulatorConfig:
    """Where a simulator listens; each simulator's settings extend it (and set the port)."""

    host: str = "127.0.0.1"
    port: int = 0


class BackgroundTasks:
    """Tasks a simulator runs after answering: each referenced until it ends (the event
    loop keeps only weak references), all cancelled when the simulator resets."""

    def __init__(self) -> None:
        self._running: set[asyncio.Task[None]] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run `coroutine` in the background."""
        task = asyncio.create_task(coroutine)
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    def cancel_all(self) -> None:
        """Cancel every task still running."""
        for task in self._running:
            task.cancel()
        self._running.clear()


class TokenBucket:
    """A token bucket: `rate` tokens a second, at most `capacity` saved up; rate 0 = no limit."""

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.capacity = max(1.0, capacity if capacity is not None else rate)
        self._clock = clock
        self._tokens = self.capacity
        self._updated = clock()

    def take(self) -> float | None:
        """Take one token; return None when allowed, else the seconds until one is free."""
        if self.rate <= 0:
            return None
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return None
        return (1.0 - self._tokens) / self.rate

    @staticmethod
    def retry_after_seconds(wait: float) -> int:
        """A wait as the whole seconds that Retry-After and `retry_after` carry (at least 1)."""
        return max(1, math.ceil(wait))


def matches_any(value: str, patterns: Iterable[str]) -> bool:
    """True when `value` equals a pattern, or starts with a pattern that ends in `*`."""
    for pattern in patterns:
        if pattern.endswith("*"):
            if value.startswith(pattern[:-1]):
                return True
        elif value == pattern:
            return True
    return False


def _field_types(config_class: type) -> dict[str, Any]:
    return typing.get_type_hints(config_class)


def _coerce(value: Any, annotation: Any) -> Any:
    """Turn a string (environment, CLI) or JSON value into the field's declared type."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        if value is None or (isinstance(value, str) and value.strip() in ("", "none", "null")):
            return None
        return _coerce(value, arguments[0])
    if origin is list:
        (item_type,) = typing.get_args(annotation)
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        return [_coerce(item, item_type) for item in value]
    if annotation is bool:
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "on")
        return bool(value)
    if annotation in (int, float, str):
        return annotation(value)
    return value


def apply_overrides(config: ConfigT, overrides: Mapping[str, Any]) -> ConfigT:
    """A copy of the dataclass `config` with `overrides` applied; unknown keys raise KeyError."""
    hints = _field_types(type(config))
    unknown = sorted(set(overrides) - set(hints))
    if unknown:
        raise KeyError(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(hints)}")
    changes = {name: _coerce(value, hints[name]) for name, value in overrides.items()}
    return dataclasses.replace(config, **changes)  # type: ignore[type-var]


def config_from_env(
    config_class: type[ConfigT],
    prefix: str,
    environ: Mapping[str, str] | None = None,
    *,
    fallbacks: Mapping[str, str] | None = None,
) -> ConfigT:
    """Build the settings from `PREFIX_FIELD_NAME` environment variables, else the defaults.

    `fallbacks` maps a field to another variable (the gateway's own, such as
    `TWILIO_AUTH_TOKEN`) read when the field's variable is not set and it is not empty.
    """
    environ = os.environ if environ is None else environ
    overrides = {
        name: environ[variable]
        for name, variable in (fallbacks or {}).items()
        if environ.get(variable) and prefix + name.upper() not in environ
    }
    overrides |= {
        name: environ[prefix + name.upper()]
        for name in _field_types(config_class)
        if prefix + name.upper() in environ
    }
    return apply_overrides(config_class(), overrides)


def add_config_arguments(parser: argparse.ArgumentParser, config_class: type) -> None:
    """One `--field-name` flag per setting (lists are comma-separated)."""
    for field in dataclasses.fields(config_class):
        flag = "--" + field.name.replace("_", "-")
        parser.add_argument(flag, dest=field.name, default=None, metavar=field.name.upper())


def config_from_args(base: ConfigT, arguments: argparse.Namespace) -> ConfigT:
    """`base` with every flag that was given on the command line applied."""
    given = {
        field.name: getattr(arguments, field.name)
        for field in dataclasses.fields(base)  # type: ignore[arg-type]
        if getattr(arguments, field.name, None) is not None
    }
    return apply_overrides(base, given)


@contextmanager
def running_server(app: Any, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `app` with uvicorn in a daemon thread; yield its base URL; stop it on exit."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="simulator-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the simulator did not start on {host}:{port}")
        time.sleep(0.01)
    bound_port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve(
    name: str,
    description: str | None,
    config: SimConfigT,
    create_app: Callable[[SimConfigT], Any],
    argv: list[str] | None = None,
) -> None:
    """Run `python -m simulators.<name>`: flags (one per setting of `config`'s dataclass)
    override `config`, the app `create_app(config)` serves on its host and port."""
    parser = argparse.ArgumentParser(
        prog=f"python -m simulators.{name}",
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_config_arguments(parser, type(config))
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--access-log", action="store_true", help="log every request")
    arguments = parser.parse_args(argv)
    config = config_from_args(config, arguments)
    logging.basicConfig(level=arguments.log_level.upper())
    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level=arguments.log_level,
        access_log=arguments.access_log,
    )
