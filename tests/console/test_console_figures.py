"""The figures page, its JSON and CSV downloads, on the one-stop simulator and our database."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import httpx
import pytest
from console_helpers import client_of
from fastapi import FastAPI

from bot.app import create_app
from console.roles import Role
from notifier.models import ChannelName, SurveyRequest
from office_figures.board import FIGURE_ORDER
from office_figures.models import QuestionTally
from settings import Settings
from simulators.onestop import SimConfig, running_simulator
from simulators.onestop.config import parse_anchor
from status_client.models import VIETNAM_TZ
from testing.console import logged_in
from testing.fake_rasa import FakeRasa


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    """A small one-stop simulator (400 dossiers) whose answers the tests recompute."""
    with running_simulator(SimConfig(seed=7, count=400, anchor=parse_anchor("2026-11-25"))) as url:
        yield url


@pytest.fixture
async def figures(
    console_settings: Settings, fake_rasa: FakeRasa, sim_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the started gateway whose one-stop system is the simulator."""
    settings = console_settings.model_copy(update={"onestop_base_url": sim_url})
    app = create_app(settings, transport=httpx.MockTransport(fake_rasa))
    async with app.router.lifespan_context(app), client_of(app) as client:
        csrf = await logged_in(client, Role.VIEWER)
        # The first read: waited for here, so every test sees the dossier figures.
        (await client.get("/admin/api/figures", params={"fresh": "1"})).raise_for_status()
        await client.delete("/admin/api/session", headers={"X-CSRF-Token": csrf})
        yield client


def app_of(client: httpx.AsyncClient) -> FastAPI:
    app = client._transport.app  # type: ignore[attr-defined]
    assert isinstance(app, FastAPI)
    return app


class Tables(HTMLParser):
    """The cells of each `<section id=…>`'s table, as a clerk reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._section: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self._section = dict(attrs).get("id")
            assert self._section is not None
            self.tables[self._section] = []
        elif tag == "tr" and self._section:
            self.tables[self._section].append([])
        elif tag in ("td", "th") and self._section:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._section:
            self.tables[self._section][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


async def test_anonymous_requests_are_refused(figures: httpx.AsyncClient) -> None:
    page = await figures.get("/admin/figures")
    assert page.status_code == 303 and page.headers["location"] == "/admin/login"
    assert (await figures.get("/admin/api/figures")).status_code == 401
    assert (await figures.get("/admin/figures/dung-han.csv")).status_code == 303


async def test_a_viewer_sees_every_figure_and_each_csv_is_its_table(
    figures: httpx.AsyncClient,
) -> None:
    await logged_in(figures, Role.VIEWER)
    page = await figures.get("/admin/figures")
    assert page.status_code == 200, page.text
    # A chart each, but the overdue list (a list) and questions per day (none asked yet).
    assert page.text.count("<svg") == len(FIGURE_ORDER) - 2
    parser = Tables()
    parser.feed(page.text)
    assert set(parser.tables) == set(FIGURE_ORDER)
    for name in FIGURE_ORDER:
        download = await figures.get(f"/admin/figures/{name}.csv")
        assert download.status_code == 200
        assert download.headers["content-type"].startswith("text/csv")
        assert download.headers["content-disposition"].startswith(f'attachment; filename="{name}-')
        assert download.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        table = parser.tables[name]
        if len(table) == 2 and len(table[1]) == 1:  # "no figures in this period"
            table = table[:1]
        assert rows == table, name


async def test_figures_match_the_simulators_own_records(
    figures: httpx.AsyncClient, sim_url: str
) -> None:
    await logged_in(figures, Role.VIEWER)
    body = (await figures.get("/admin/api/figures")).json()
    assert body["dossiers"] == 400 and body["problem"] is None
    by_name = {figure["name"]: figure for figure in body["figures"]}
    assert list(by_name) == list(FIGURE_ORDER)
    records = httpx.get(f"{sim_url}/api/dossiers", params={"limit": 500}).json()["items"]
    online = sum(record["KenhThucHien"] == 2 for record in records)
    assert by_name["truc-tuyen-theo-thu-tuc"]["rows"][0][1] == online
    finished = [r for r in records if r["NgayKetThucXuLy"] and r["NgayHenTra"]]
    on_time = sum(r["NgayKetThucXuLy"] <= r["NgayHenTra"] for r in finished)
    assert by_name["dung-han"]["rows"][0][2:4] == [on_time, len(finished) - on_time]
    overdue = by_name["qua-han"]["rows"]
    assert overdue and len(overdue) == by_name["dung-han"]["rows"][0][4]
    names = {record["ChuHoSo"] for record in records}
    assert not any(cell in names for row in overdue for cell in row)  # initials only


async def test_our_own_figures_come_from_the_database(figures: httpx.AsyncClient) -> None:
    app = app_of(figures)
    now = datetime.now(UTC)
    today = now.astimezone(VIETNAM_TZ).date()
    with app.state.sessions.begin() as session:
        session.add_all(
            [
                QuestionTally(day=today, channel="zalo", questions=7, fallbacks=2, failures=0),
                QuestionTally(day=date(2020, 1, 1), channel="sms", questions=99, fallbacks=0),
                SurveyRequest(
                    dossier_code="X-1", channel=ChannelName.SMS, address="",
                    asked_at=now - timedelta(hours=2), rating=4, answered_at=now,
                ),
            ]
        )  # fmt: skip
    await logged_in(figures, Role.VIEWER)
    body = (await figures.get("/admin/api/figures", params={"days": "7"})).json()
    by_name = {figure["name"]: figure for figure in body["figures"]}
    assert {row[0]: row[1] for row in by_name["cau-hoi-theo-kenh"]["rows"]}["Zalo"] == 7
    day_rows = by_name["cau-hoi-theo-ngay"]["rows"]
    assert day_rows == [[today.isoformat(), 0, 0, 0, 7, 7, 2, 28.6]]  # 2020 is out of the period
    assert by_name["hai-long"]["summary"]["average"] == 4.0


@pytest.mark.parametrize("days", ["0", "367", "-1", "abc", "١٢", "30.5", "1" * 9])
async def test_a_bad_period_gets_a_clear_answer(figures: httpx.AsyncClient, days: str) -> None:
    await logged_in(figures, Role.VIEWER)
    api = await figures.get("/admin/api/figures", params={"days": days})
    assert api.status_code == 400 and "Số ngày" in api.json()["detail"]
    page = await figures.get("/admin/figures", params={"days": days})
    assert page.status_code == 400 and "Số ngày phải là số nguyên" in page.text


async def test_unknown_or_hostile_csv_names_are_not_found(figures: httpx.AsyncClient) -> None:
    await logged_in(figures, Role.VIEWER)
    for name in ("khong-co", "..%2f..%2fsettings", "dung-han%22%0d%0aX-Evil:%201"):
        response = await figures.get(f"/admin/figures/{name}.csv")
        assert response.status_code == 404
        assert "X-Evil" not in response.headers


async def test_one_stop_down_still_shows_our_figures_with_the_reason(
    console_settings: Settings, fake_rasa: FakeRasa
) -> None:
    settings = console_settings.model_copy(update={"onestop_base_url": "http://127.0.0.1:9"})
    app = create_app(settings, transport=httpx.MockTransport(fake_rasa))
    async with app.router.lifespan_context(app), client_of(app) as client:
        await logged_in(client, Role.VIEWER)
        page = await client.get("/admin/figures")
        assert page.status_code == 200
        assert "Chưa đọc được dữ liệu từ hệ thống một cửa" in page.text
        assert 'id="hai-long"' in page.text and 'id="dung-han"' not in page.text
        assert (await client.get("/admin/figures/dung-han.csv")).status_code == 503
