"""Entity extractor for `dossier_code` and `procedure_code` with canonical values.

Codes have a fixed grammar, so a regular expression beats a learned tagger: it finds
`000 00 06 h56 231027 0361` as reliably as `000.00.06.H56-231027-0361` and returns the
canonical form as the entity value. Training data therefore does not annotate codes
(DIET learns only `procedure`); similar patterns are regex features in nlu_data.

Dossier codes are found by `status_client.codes` (standard library only), the same
grammar the lookup uses, so the entity and the lookup never disagree. National procedure
codes (`1.001193`; a province's entry `1.001193.000.00.00.H37` names the same procedure)
only matter here, so their pattern lives here.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from status_client.codes import find_dossier_code_spans

__all__ = ["CodeEntityExtractor", "find_procedure_codes"]

_PROCEDURE = re.compile(r"(?<![\d.])([12])\.(\d{6})(?:\.\d{3}\.\d{2}\.\d{2}\.[A-Za-z]\d{2})?(?!\d)")


class ProcedureCodeMatch(NamedTuple):
    """A national procedure code found in a message, and where it was."""

    value: str
    start: int
    end: int


def find_procedure_codes(text: str) -> list[ProcedureCodeMatch]:
    """Every national procedure code (`1.001193`) in a message."""
    return [
        ProcedureCodeMatch(f"{m.group(1)}.{m.group(2)}", m.start(), m.end())
        for m in _PROCEDURE.finditer(text)
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CodeEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds `dossier_code` and `procedure_code` entities found by their grammar."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options."""
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CodeEntityExtractor:
        """Create the component."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Append code entities to each message."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            matches: list[tuple[str, str, int, int]] = [
                ("dossier_code", m.value, m.start, m.end) for m in find_dossier_code_spans(text)
            ]
            matches += [
                ("procedure_code", m.value, m.start, m.end) for m in find_procedure_codes(text)
            ]
            found: list[dict[str, Any]] = [
                {"entity": entity, "value": value, "start": start, "end": end, "confidence": 1.0}
                for entity, value, start, end in matches
            ]
            if found:
                found = self.add_extractor_name(found)
                message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
