"""One conversation turn, the same shape on every channel.

A channel module does three things and nothing more:

1. turn its payload (a web chat request, a Twilio form, a Telegram update, a Zalo event)
   into a `Turn`: the channel, the conversation id, the text or a pressed button's
   payload, and the client the lookup limits count. The channel names the conversation,
   never the client: `telegram:<chat id>`, `zalo:<user id>`, `sms:<phone>` (`Turn.of`),
   and the web chat's `web-<hex>` from its signed cookie (`bot.web_identity`);
2. hand it to the app's `TurnRunner` (`app.state.turns`), which applies the per-sender
   limit (`bot.channels.sender_limit`), asks Rasa through `bot.conversation.converse`,
   counts the answer's intent under the turn's channel (metrics, and the staff figures'
   questions per day: `office_figures.questions`, in memory), and turns Rasa being down
   into an apology;
3. render the `TurnResult` in its own form (JSON, TwiML, Telegram messages with inline
   keyboards, a Zalo consultation message with quick replies).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from bot.channels.sender_limit import SLOW_DOWN, SenderLimit, Verdict
from bot.conversation import apology, converse
from bot.metrics import FALLBACK_INTENT
from bot.rasa_client import RasaError
from bot.rasa_pool import RasaPool
from bot.schemas import ChatResponse, Reply
from notifier.models import ChannelName
from office_figures.questions import QuestionCounter

__all__ = ["Outcome", "Turn", "TurnResult", "TurnRunner"]

log = logging.getLogger("bot.turns")


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of one conversation, as every channel hands it on."""

    channel: ChannelName
    conversation: str  # the Rasa sender id; made by the channel, never by the client
    text: str  # what was typed, or the payload of a pressed button ("/ask_fee{…}")
    client: str  # where it came from, for the lookup limits (metadata "client")
    locale: str | None = None
    request_id: str | None = None

    @classmethod
    def of(cls, channel: ChannelName, user: str | int, text: str) -> Turn:
        """A turn of `<channel>:<user>` (the chat, user or phone on that channel).

        The conversation id is also the client the lookup limits count: on these
        channels the sender is the only address there is.
        """
        conversation = f"{channel}:{user}"
        return cls(channel=channel, conversation=conversation, text=text, client=conversation)


class Outcome(StrEnum):
    """How a turn ended."""

    ANSWERED = "answered"  # Rasa answered: render `answer`
    APOLOGY = "apology"  # Rasa could not answer: `answer` is the apology
    SLOW_DOWN = "slow_down"  # over the sender's limit: `answer` is the one warning
    DROPPED = "dropped"  # over the limit, already warned: say nothing at all


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What to render for a turn."""

    outcome: Outcome
    answer: ChatResponse

    @property
    def silent(self) -> bool:
        """Nothing to send back."""
        return self.outcome is Outcome.DROPPED


_WARNING = ChatResponse(replies=[Reply(text=SLOW_DOWN)])
_NOTHING = ChatResponse(replies=[])


class TurnRunner:
    """Runs turns for every channel: the per-sender limit, Rasa, the apology, metrics."""

    def __init__(
        self, rasa: RasaPool, limit: SenderLimit, questions: QuestionCounter | None = None
    ) -> None:
        self.rasa = rasa
        self.limit = limit
        # Counted in memory only; the app writes the counts every few seconds.
        self.questions = questions or QuestionCounter()

    def admit(self, conversation: str) -> TurnResult | None:
        """Count one message of `conversation`: None when it may go on, else what to say.

        For channels that answer some messages without Rasa (SMS codes and keywords, a
        Telegram sticker): call it first, so that those count too.
        """
        verdict = self.limit.check(conversation)
        if verdict is Verdict.ALLOW:
            return None
        if verdict is Verdict.WARN:  # once a minute per sender: a flood floods no log
            log.warning("a %s sender is over its rate limit", conversation.split(":")[0])
            return TurnResult(Outcome.SLOW_DOWN, _WARNING)
        return TurnResult(Outcome.DROPPED, _NOTHING)

    async def run(self, turn: Turn, *, limited: bool = True) -> TurnResult:
        """Answer `turn`; never raises for Rasa being down.

        `limited=False` when the channel has already called `admit` for this message,
        or bounds its senders another way (the web chat, per client address).
        """
        refused = self.admit(turn.conversation) if limited else None
        if refused is not None:
            return refused
        try:
            answer = await converse(
                self.rasa,
                sender=turn.conversation,
                message=turn.text,
                locale=turn.locale,
                client=turn.client,
                request_id=turn.request_id,
                channel=turn.channel,
            )
        except RasaError as error:
            # Logged by the channel's own logger (bot.webchat, bot.sms, …).
            logging.getLogger(f"bot.{turn.channel}").error(
                "Rasa could not answer: %s", error, extra={"error_type": type(error).__name__}
            )
            self.questions.note(turn.channel, failed=True)
            return TurnResult(Outcome.APOLOGY, apology())
        if turn.text.strip():  # an empty message is no question
            fallback = answer.intent is None or answer.intent == FALLBACK_INTENT
            self.questions.note(turn.channel, fallback=fallback)
        return TurnResult(Outcome.ANSWERED, answer)
