"""Chat subscriptions to a dossier's status changes (intents subscribe_dossier,
confirm_code, unsubscribe_dossier). Thin: `notifier.subscriptions` does the work.

The conversation is the Rasa sender id: `telegram:123` or `zalo:…` name their channel,
anything else (the web chat's `web-…`) is a web chat conversation. Ownership is proven
by a one-time code sent by SMS to the phone on file; the dossier (and that phone) comes
from the one-stop system through the lookup service's client, and a code that does not
exist counts as a failed lookup for the sender, as in `action_lookup_dossier`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.services import services
from dossier_lookup.replies import (
    render_invalid_code,
    render_not_found,
    render_rate_limited,
    render_unavailable,
)
from notifier.clock import SystemClock
from notifier.config import NotifierConfig
from notifier.exceptions import (
    ChallengeExpired,
    ChallengeLocked,
    ChallengeNotFound,
    NoPhoneOnFile,
    PhoneOptedOut,
    SubscriptionError,
    TooManyCodes,
    WrongCode,
)
from notifier.models import ChannelName
from notifier.subscriptions import (
    SubscriptionRequested,
    confirm_subscription,
    conversation_of,
    request_subscription,
    subscriptions_of,
    unsubscribe,
)
from status_client.codes import find_dossier_code, looks_like_code_but_invalid, strip_dossier_codes
from status_client.exceptions import DossierNotFound, OneStopError
from status_client.models import Dossier

__all__ = [
    "ActionConfirmSubscription",
    "ActionSubscribeDossier",
    "ActionUnsubscribeDossier",
    "one_time_code_in",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

_SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")

ASK_WHICH = (
    'Bạn muốn theo dõi hồ sơ nào? Nhắn "theo dõi hồ sơ" kèm mã hồ sơ in trên giấy tiếp '
    "nhận, ví dụ: theo dõi hồ sơ 000.00.06.H56-231027-0361."
)
SMS_ALREADY = (
    "Tin nhắn SMS báo tiến độ hồ sơ được gửi tự động tới số điện thoại đã khai trong hồ sơ, "
    "bạn không cần đăng ký thêm."
)
NO_PHONE = (
    "Hồ sơ {code} không có số điện thoại để gửi mã xác nhận, nên mình chưa thể đăng ký theo "
    "dõi. Bạn vui lòng liên hệ Bộ phận Tiếp nhận và Trả kết quả nơi nộp hồ sơ."
)
OPTED_OUT = (
    "Số điện thoại của hồ sơ {code} đã từ chối nhận SMS nên mình không gửi được mã xác nhận. "
    "Từ số đó, nhắn START (hoặc DK) để nhận lại SMS rồi thử lại nhé."
)
# Capped or at night: says nothing of whose cap, nor how many codes were asked for.
NO_CODE_NOW = "Mình chưa thể gửi thêm mã xác nhận lúc này. Bạn vui lòng thử lại sau nhé."
NO_CODE_AT_NIGHT = (
    "Mình không gửi mã xác nhận qua SMS vào ban đêm. Bạn vui lòng thử lại vào buổi sáng nhé."
)
CODE_SENT = (
    "Mình đã gửi mã xác nhận gồm 6 chữ số qua SMS tới số điện thoại {phone} của hồ sơ {code}. "
    "Bạn nhập mã đó vào đây để bắt đầu theo dõi (mã có hiệu lực {minutes} phút)."
)
ALREADY_FOLLOWING = (
    "Cuộc trò chuyện này đang theo dõi hồ sơ {code} rồi. Mỗi khi hồ sơ đổi trạng thái, mình "
    'sẽ nhắn bạn ở đây. Nhắn "hủy theo dõi" nếu không muốn nhận nữa.'
)
CONFIRMED = (
    "Đã xác nhận! Từ giờ, mỗi khi hồ sơ {code} đổi trạng thái, mình sẽ nhắn bạn ở đây. "
    'Nhắn "hủy theo dõi" khi không muốn nhận nữa.'
)
NEED_CODE = "Bạn nhập mã xác nhận gồm 6 chữ số đã được gửi qua SMS nhé."
NO_CHALLENGE = (
    "Mình chưa gửi mã xác nhận nào cho cuộc trò chuyện này. Để theo dõi một hồ sơ, nhắn "
    '"theo dõi hồ sơ" kèm mã hồ sơ.'
)
WRONG_CODE = "Mã xác nhận chưa đúng. Bạn còn {attempts} lần thử."
LOCKED = 'Bạn đã nhập sai mã quá nhiều lần. Nhắn "theo dõi hồ sơ" kèm mã hồ sơ để nhận mã mới.'
EXPIRED = 'Mã xác nhận đã hết hạn. Nhắn "theo dõi hồ sơ" kèm mã hồ sơ để nhận mã mới.'
NOT_HERE = "Kênh trò chuyện này chưa hỗ trợ theo dõi hồ sơ."
UNSUBSCRIBED = "Đã hủy theo dõi hồ sơ {codes}. Bạn sẽ không nhận tin báo về hồ sơ này ở đây nữa."
NOTHING_TO_END = "Cuộc trò chuyện này không theo dõi hồ sơ nào."
NOTHING_TO_END_FOR = "Cuộc trò chuyện này không theo dõi hồ sơ {code}."


def one_time_code_in(text: str) -> str | None:
    """The 6-digit one-time code in a message ("482913", "mã là 482 913"), else None."""
    rest = strip_dossier_codes(text)
    found = _SIX_DIGITS.findall(rest)
    if len(found) == 1:
        return str(found[0])
    digits = re.sub(r"\D", "", rest)
    return digits if not found and len(digits) == 6 else None


def _dossier_code(tracker: Tracker, *, remembered: bool) -> str | None:
    candidates = [next(tracker.get_latest_entity_values("dossier_code"), None)]
    candidates.append((tracker.latest_message or {}).get("text"))
    if remembered:
        candidates.append(tracker.get_slot("dossier_code"))
    for candidate in candidates:
        code = find_dossier_code(candidate) if candidate else None
        if code:
            return code
    return None


def _in_transaction(work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction, committed even when it raises a SubscriptionError
    (a wrong, late or locked code is recorded: attempts count down)."""
    with services().sessions() as session:
        try:
            result = work(session)
        except SubscriptionError:
            session.commit()
            raise
        session.commit()
        return result


def _about(dossier_code: str, dossier: Dossier | None = None) -> dict[str, Any]:
    about = {"dossier_code": dossier_code}
    if dossier is not None:
        about |= {"dossier_status": dossier.status.value, "procedure_code": dossier.procedure_code}
    return {"answer_about": about}


class ActionSubscribeDossier(Action):
    """Start following a dossier: send a one-time code to the phone on file."""

    def name(self) -> str:
        return "action_subscribe_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply that the code is on its way (or why it is not)."""
        conversation = conversation_of(tracker.sender_id)
        if conversation is None:
            dispatcher.utter_message(text=NOT_HERE)
            return []
        if conversation[0] == ChannelName.SMS:
            dispatcher.utter_message(text=SMS_ALREADY)
            return []
        code = _dossier_code(tracker, remembered=True)
        if code is None:
            text = (tracker.latest_message or {}).get("text") or ""
            invalid = looks_like_code_but_invalid(text)
            dispatcher.utter_message(text=render_invalid_code() if invalid else ASK_WHICH)
            return []
        channel, address = conversation
        if code in await asyncio.to_thread(
            _in_transaction,
            lambda session: subscriptions_of(session, channel=channel, address=address),
        ):
            dispatcher.utter_message(text=ALREADY_FOLLOWING.format(code=code))
            dispatcher.utter_message(json_message=_about(code))
            return [SlotSet("dossier_code", code)]
        dossier, problem = await _find_dossier(tracker.sender_id, code)
        if dossier is None:
            dispatcher.utter_message(text=problem)
            return []
        config = NotifierConfig.from_settings(services().settings)

        def request(session: Session) -> SubscriptionRequested:
            return request_subscription(
                session,
                channel=channel,
                address=address,
                dossier_code=dossier.code,
                phone_on_file=dossier.phone,
                config=config,
                now=SystemClock().now(),
            )

        try:
            requested = await asyncio.to_thread(_in_transaction, request)
        except NoPhoneOnFile:
            dispatcher.utter_message(text=NO_PHONE.format(code=dossier.code))
            return []
        except PhoneOptedOut:
            dispatcher.utter_message(text=OPTED_OUT.format(code=dossier.code))
            return []
        except TooManyCodes as refused:
            dispatcher.utter_message(text=NO_CODE_AT_NIGHT if refused.at_night else NO_CODE_NOW)
            return []
        minutes = max(1, config.otp_ttl_seconds // 60)
        reply = CODE_SENT.format(phone=requested.masked_phone, code=dossier.code, minutes=minutes)
        dispatcher.utter_message(text=reply)
        dispatcher.utter_message(json_message=_about(dossier.code, dossier))
        return [
            SlotSet("dossier_code", dossier.code),
            SlotSet("procedure_code", dossier.procedure_code),
        ]


async def _find_dossier(sender_id: str, code: str) -> tuple[Dossier | None, str]:
    """The dossier from the one-stop system, or the reply explaining why there is none."""
    lookup = services().lookup()
    sender_key = f"sender:{sender_id}"
    minutes = round(lookup.limiter.window / 60)
    if await lookup.limiter.blocked(sender_key):
        return None, render_rate_limited(minutes)
    try:
        async with asyncio.timeout(lookup.deadline):
            return await lookup.source.get_dossier(code, fresh=True), ""
    except DossierNotFound:
        blocked = await lookup.limiter.record_failure(sender_key)
        message = render_not_found(code)
        return None, message + ("\n" + render_rate_limited(minutes) if blocked else "")
    except (OneStopError, TimeoutError) as error:
        log.warning("dossier lookup for a subscription failed: %s", error)
        return None, render_unavailable()


class ActionConfirmSubscription(Action):
    """Check the one-time code typed back; subscribe the conversation when it matches."""

    def name(self) -> str:
        return "action_confirm_subscription"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply with the outcome of the check."""
        conversation = conversation_of(tracker.sender_id)
        if conversation is None:
            dispatcher.utter_message(text=NOT_HERE)
            return []
        code = one_time_code_in((tracker.latest_message or {}).get("text") or "")
        if code is None:
            dispatcher.utter_message(text=NEED_CODE)
            return []
        channel, address = conversation

        config = NotifierConfig.from_settings(services().settings)

        def confirm(session: Session) -> str:
            subscription = confirm_subscription(
                session,
                channel=channel,
                address=address,
                code=code,
                config=config,
                now=SystemClock().now(),
            )
            return subscription.dossier_code

        try:
            dossier_code = await asyncio.to_thread(_in_transaction, confirm)
        except ChallengeNotFound:
            dispatcher.utter_message(text=NO_CHALLENGE)
            return []
        except WrongCode as error:
            dispatcher.utter_message(text=WRONG_CODE.format(attempts=error.attempts_left))
            return []
        except ChallengeLocked:
            dispatcher.utter_message(text=LOCKED)
            return []
        except ChallengeExpired:
            dispatcher.utter_message(text=EXPIRED)
            return []
        dispatcher.utter_message(text=CONFIRMED.format(code=dossier_code))
        dispatcher.utter_message(json_message=_about(dossier_code))
        return [SlotSet("dossier_code", dossier_code)]


class ActionUnsubscribeDossier(Action):
    """Stop following one dossier (named in the message) or all of them."""

    def name(self) -> str:
        return "action_unsubscribe_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Reply with the dossiers no longer followed."""
        conversation = conversation_of(tracker.sender_id)
        if conversation is None:
            dispatcher.utter_message(text=NOT_HERE)
            return []
        channel, address = conversation
        code = _dossier_code(tracker, remembered=False)
        ended = await asyncio.to_thread(
            _in_transaction,
            lambda session: unsubscribe(
                session,
                channel=channel,
                address=address,
                dossier_code=code,
                now=SystemClock().now(),
            ),
        )
        if ended:
            dispatcher.utter_message(text=UNSUBSCRIBED.format(codes=", ".join(ended)))
        elif code:
            dispatcher.utter_message(text=NOTHING_TO_END_FOR.format(code=code))
        else:
            dispatcher.utter_message(text=NOTHING_TO_END)
        return []
