"""Intent payloads (`/greet`, `/ask_fee{"procedure_code": "1.001193"}`) read without NLU.

Buttons send such payloads, and Rasa 3.6 runs every message through the whole NLU graph
(tokenizer, featurizers, DIET): only the graph's last step, `RegexMessageHandler`,
replaces the prediction with the payload's intent. For a button press the rest is spent
for nothing (about 9 of the 12 ms of CPU a `/greet` costs on the 2-core machine). The
channel reads the payload with the same Rasa function that step calls, with the same
domain, and passes the result as the message's parse data, which makes Rasa skip the
graph. What that function leaves alone (no leading `/`, an intent the domain does not
have, a malformed payload) goes through the NLU pipeline as before.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

__all__ = ["payload_parse"]

# The name `RegexMessageHandler` gives the entities it reads from a payload.
_EXTRACTOR = "RegexMessageHandler"


def payload_parse(text: str, domain: Domain | None) -> dict[str, Any] | None:
    """The parse data Rasa's NLU graph would return for the payload `text`, or None
    when `text` is not a payload of an intent of `domain` (the graph must read it)."""
    if domain is None or not text.lstrip().startswith(INTENT_MESSAGE_PREFIX):
        return None
    typed = Message(data={TEXT: text})
    unpacked = YAMLStoryReader.unpack_regex_message(typed, domain, _EXTRACTOR)
    if unpacked is typed:
        return None
    # What `MessageProcessor._parse_message_with_graph` starts from and fills in.
    parse_data: dict[str, Any] = {
        TEXT: "",
        INTENT: {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
        ENTITIES: [],
    }
    parse_data.update(unpacked.as_dict(only_output_properties=True))
    return parse_data
