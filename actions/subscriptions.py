"""Chat subscriptions to a dossier's status changes (intents subscribe_dossier,
confirm_code, unsubscribe_dossier). Thin: `notifier.subscriptions` does the work.

The conversation is the Rasa sender id: `telegram:123` or `zalo:…` name their channel,
anything else (the web chat's `web-…`) is a web chat conversation. Ownership is proven
by a one-time code sent by SMS to the phone on file; the dossier (and that phone) comes
through the lookup service's `fetch()`, with the same limits as `action_lookup_dossier`.
A confirmed code also unlocks the dossier's details for the conversation: the lookup
treats a conversation that follows a dossier as its owner (`actions.dossiers`).
"""

from __future__ import annotations

import abc
import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.dossiers import client_of
from actions.services import services
from actions.subscription_steps import (
    about,
    apologising,
    dossier_code_of,
    in_transaction,
    one_time_code_in,
)
from actions.subscription_texts import (
    ALREADY_FOLLOWING,
    ASK_WHICH,
    CODE_SENT,
    CONFIRMED,
    EXPIRED,
    LOCKED,
    NEED_CODE,
    NO_CHALLENGE,
    NO_CODE_AT_NIGHT,
    NO_CODE_NOW,
    NO_PHONE,
    NOT_HERE,
    NOTHING_TO_END,
    NOTHING_TO_END_FOR,
    OPTED_OUT,
    SMS_ALREADY,
    UNSUBSCRIBED,
    WRONG_CODE,
)
from dossier_lookup.lookup import Requester
from dossier_lookup.replies import render_invalid_code
from notifier.clock import SystemClock
from notifier.config import NotifierConfig
from notifier.exceptions import (
    ChallengeExpired,
    ChallengeLocked,
    ChallengeNotFound,
    NoPhoneOnFile,
    PhoneOptedOut,
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
from status_client.codes import looks_like_code_but_invalid
from status_client.models import Dossier

__all__ = [
    "ActionConfirmSubscription",
    "ActionSubscribeDossier",
    "ActionUnsubscribeDossier",
]

log = logging.getLogger(__name__)


class _FollowingAction(Action, abc.ABC):
    """An action on what a conversation follows: only where notifications can reach it."""

    @apologising
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answer with `follow`, or say that this conversation cannot follow a dossier."""
        conversation = conversation_of(tracker.sender_id)
        if conversation is None:
            dispatcher.utter_message(text=NOT_HERE)
            return []
        channel, address = conversation
        return await self.follow(dispatcher, tracker, channel, address)

    @abc.abstractmethod
    async def follow(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, channel: ChannelName, address: str
    ) -> list[EventType]:
        """Reply for the conversation `address` on `channel`."""


class ActionSubscribeDossier(_FollowingAction):
    """Start following a dossier: send a one-time code to the phone on file."""

    def name(self) -> str:
        return "action_subscribe_dossier"

    async def follow(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, channel: ChannelName, address: str
    ) -> list[EventType]:
        """Reply that the code is on its way (or why it is not)."""
        if channel == ChannelName.SMS:
            dispatcher.utter_message(text=SMS_ALREADY)
            return []
        code = dossier_code_of(tracker, remembered=True)
        if code is None:
            text = (tracker.latest_message or {}).get("text") or ""
            invalid = looks_like_code_but_invalid(text)
            dispatcher.utter_message(text=render_invalid_code() if invalid else ASK_WHICH)
            return []
        if code in await asyncio.to_thread(
            in_transaction,
            lambda session: subscriptions_of(session, channel=channel, address=address),
        ):
            dispatcher.utter_message(text=ALREADY_FOLLOWING.format(code=code))
            dispatcher.utter_message(json_message=about(code))
            return [SlotSet("dossier_code", code)]
        requester = Requester(tracker.sender_id, client_of(tracker))
        fetched = await services().lookup().fetch(code, requester, fresh=True)
        if fetched.dossier is None:
            dispatcher.utter_message(text=fetched.refusal)
            return []
        return await _send_code(dispatcher, channel, address, fetched.dossier, requester.client)


async def _send_code(
    dispatcher: CollectingDispatcher,
    channel: ChannelName,
    address: str,
    dossier: Dossier,
    client: str | None,
) -> list[EventType]:
    """Queue a one-time code to the phone on file of `dossier` (asked from `client`, the
    caps count per client address too); say where it went."""
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
            client=client,
        )

    try:
        requested = await asyncio.to_thread(in_transaction, request)
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
    dispatcher.utter_message(json_message=about(dossier.code, dossier))
    return [
        SlotSet("dossier_code", dossier.code),
        SlotSet("procedure_code", dossier.procedure_code),
    ]


class ActionConfirmSubscription(_FollowingAction):
    """Check the one-time code typed back; subscribe the conversation when it matches."""

    def name(self) -> str:
        return "action_confirm_subscription"

    async def follow(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, channel: ChannelName, address: str
    ) -> list[EventType]:
        """Reply with the outcome of the check."""
        code = one_time_code_in((tracker.latest_message or {}).get("text") or "")
        if code is None:
            dispatcher.utter_message(text=NEED_CODE)
            return []
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
            dossier_code = await asyncio.to_thread(in_transaction, confirm)
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
        dispatcher.utter_message(json_message=about(dossier_code))
        return [SlotSet("dossier_code", dossier_code)]


class ActionUnsubscribeDossier(_FollowingAction):
    """Stop following one dossier (named in the message) or all of them."""

    def name(self) -> str:
        return "action_unsubscribe_dossier"

    async def follow(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, channel: ChannelName, address: str
    ) -> list[EventType]:
        """Reply with the dossiers no longer followed."""
        code = dossier_code_of(tracker, remembered=False)
        ended = await asyncio.to_thread(
            in_transaction,
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
