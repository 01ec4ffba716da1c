"""Vietnamese messages of the notifier besides status changes: the survey, one-time codes.

Status changes are told in `wording.status` (one table for chat and SMS).
"""

from __future__ import annotations

from vntext import fold

__all__ = [
    "otp_sms",
    "survey_question",
    "survey_thanks",
]


def survey_question(dossier_code: str, *, sms: bool, diacritics: bool = False) -> str:
    """The satisfaction question asked once when a dossier is returned."""
    text = (
        f"Bạn hài lòng thế nào với việc giải quyết hồ sơ {dossier_code}? "
        "Trả lời một số từ 1 (rất không hài lòng) đến 5 (rất hài lòng)."
    )
    return fold(text, lower=False) if sms and not diacritics else text


def survey_thanks(rating: int, *, sms: bool) -> str:
    """The reply to a survey answer."""
    text = f"Cảm ơn bạn đã đánh giá {rating}/5. Ý kiến của bạn giúp chúng tôi phục vụ tốt hơn."
    return fold(text, lower=False) if sms else text


def otp_sms(dossier_code: str, code: str, minutes: int) -> str:
    """The SMS carrying a one-time code that proves ownership of a dossier."""
    return (
        f"Ma xac nhan theo doi ho so {dossier_code}: {code}. "
        f"Hieu luc {minutes} phut. Khong chia se ma nay cho nguoi khac."
    )
