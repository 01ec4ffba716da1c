"""SMS keywords: STOP-style words opt a number out, START-style words opt it back in, HELP.

Keywords are matched on the whole message, folded (no diacritics, upper case, no
punctuation), so "Hủy", "huy." and "TU CHOI" all count. Twilio's own opt-out words are
included: with Advanced Opt-Out on, Twilio blocks the number itself (error 21610) and we
keep our table in step (`notifier.optouts.set_consent`) so that the notifier does not
even try.
"""

from __future__ import annotations

import enum
import re

from vntext import fold

__all__ = ["HELP_REPLY", "OPT_IN_REPLY", "OPT_OUT_REPLY", "Keyword", "parse_keyword"]


class Keyword(enum.Enum):
    """What an SMS keyword asks for."""

    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


_KEYWORDS = {
    **dict.fromkeys(
        ["STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "REVOKE", "OPTOUT", "CANCEL"],
        Keyword.OPT_OUT,
    ),
    **dict.fromkeys(["HUY", "TU CHOI", "TUCHOI"], Keyword.OPT_OUT),
    **dict.fromkeys(["START", "UNSTOP", "DK", "DANG KY", "DANGKY"], Keyword.OPT_IN),
    **dict.fromkeys(["HELP", "INFO", "TRO GIUP", "TROGIUP"], Keyword.HELP),
}
_NOT_WORD = re.compile(r"[^A-Z0-9 ]+")
_SPACES = re.compile(r"\s+")

OPT_OUT_REPLY = "Ban da ngung nhan tin nhan thong bao ho so. Nhan START hoac DK de nhan lai."
OPT_IN_REPLY = "Ban da dang ky nhan lai thong bao ho so. Nhan HUY hoac STOP de tu choi."
HELP_REPLY = (
    "Tro ly mot cua: nhan ma ho so (VD 000.00.06.H56-231027-0361) de xem trang thai, "
    "hoac hoi ve thu tuc. HUY/STOP: ngung nhan tin. DK/START: nhan lai."
)


def parse_keyword(text: str) -> Keyword | None:
    """The keyword that makes up the whole of `text`, if any."""
    folded = _NOT_WORD.sub(" ", fold(text, lower=False).upper())
    return _KEYWORDS.get(_SPACES.sub(" ", folded).strip())
