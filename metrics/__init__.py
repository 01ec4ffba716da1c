"""What the three processes' Prometheus endpoints share: the text they serve and the
latency buckets. Each process defines its own series (`bot.metrics`, `actions.metrics`,
`dossier_lookup.metrics`, `notifier.metrics`); none takes personal data as a label.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    PLATFORM_COLLECTOR,
    REGISTRY,
    disable_created_metrics,
    generate_latest,
    start_http_server,
)

__all__ = ["CONTENT_TYPE", "LATENCY_BUCKETS", "exposition", "serve_http"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Seconds, from a cached answer (5 ms) to the Rasa timeout (10 s).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# `*_created` series (a timestamp per label set) would only double the text to scrape.
disable_created_metrics()
# The gateway's /metrics is on its public port: no interpreter version (`python_info`)
# there, as /health shows none either. Process memory, CPU and GC series stay.
REGISTRY.unregister(PLATFORM_COLLECTOR)


def exposition() -> bytes:
    """The process's metrics in the Prometheus text format (`CONTENT_TYPE`)."""
    return generate_latest(REGISTRY)


def serve_http(host: str, port: int) -> tuple[int, Callable[[], None]]:
    """Serve /metrics from a thread (for a process without an HTTP server of its own).

    Returns the port listened on (`port` 0 picks a free one) and a function that stops it.
    """
    server, thread = start_http_server(port, addr=host)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return int(server.server_port), stop
