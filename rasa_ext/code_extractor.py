"""Entity extractor for `dossier_code` and `procedure_code` with canonical values.

Codes have a fixed grammar, so a regular expression beats a learned tagger: it finds
`000 00 06 h56 231027 0361` as reliably as `000.00.06.H56-231027-0361` and returns the
canonical form as the entity value. Training data therefore does not annotate codes
(DIET learns only `procedure`); the same patterns are regex features in nlu_data.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_ext.codes import find_dossier_codes, find_procedure_codes

__all__ = ["CodeEntityExtractor"]


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
            found: list[dict[str, Any]] = []
            for entity, matches in (
                ("dossier_code", find_dossier_codes(text)),
                ("procedure_code", find_procedure_codes(text)),
            ):
                for match in matches:
                    found.append(
                        {
                            "entity": entity,
                            "value": match.value,
                            "start": match.start,
                            "end": match.end,
                            "confidence": 1.0,
                        }
                    )
            if found:
                found = self.add_extractor_name(found)
                message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
