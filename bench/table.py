"""One results table: every benchmark adds rows of (area, metric, value, goal, verdict)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Row", "render"]


@dataclass(frozen=True)
class Row:
    area: str
    metric: str
    value: str
    goal: str = ""
    ok: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "ok", False: "MISSED", None: ""}[self.ok]


def render(rows: list[Row]) -> str:
    """A Markdown table, so it pastes into an issue note as it is."""
    header = ("area", "metric", "value", "goal", "verdict")
    body = [(r.area, r.metric, r.value, r.goal, r.verdict) for r in rows]
    widths = [max(len(str(line[i])) for line in [header, *body]) for i in range(len(header))]

    def fmt(line: tuple[str, ...]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(header), separator, *(fmt(line) for line in body)])
