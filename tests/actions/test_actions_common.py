"""The cached resolver notices catalog edits without a restart, and buttons are well formed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from actions.common import ResolverCache, button
from catalog.models import ProcedureAlias
from catalog.queries import find_procedure
from db import make_engine, make_session_factory


@pytest.fixture
def catalog_session(catalog_url: str) -> Iterator[Session]:
    engine = make_engine(catalog_url)
    with make_session_factory(engine)() as session:
        yield session
        session.rollback()
    engine.dispose()


def test_staff_edits_reach_the_resolver(catalog_session: Session) -> None:
    fresh, cached = ResolverCache(check_interval=0), ResolverCache(check_interval=3600)
    assert fresh.get(catalog_session).resolver.resolve("làm căn cước cho bé").best is None
    cached.get(catalog_session)
    birth = find_procedure(catalog_session, code="1.001193")
    assert birth is not None
    birth.aliases.append(ProcedureAlias(text="làm căn cước cho bé"))
    catalog_session.flush()  # visible to this session; the version moved
    found = fresh.get(catalog_session).resolver.resolve("lam can cuoc cho be").best
    assert found is not None and found.code == "1.001193"
    # Within its check interval a cache does not even look.
    assert cached.get(catalog_session).resolver.resolve("làm căn cước cho bé").best is None


def test_button_payload_and_title() -> None:
    made = button("Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, "
                  "cấp thẻ bảo hiểm y tế", "ask_fee", "3.000722")  # fmt: skip
    assert made["payload"] == '/ask_fee{"procedure_code":"3.000722"}'
    assert len(made["title"]) <= 60 and made["title"].endswith("…")
