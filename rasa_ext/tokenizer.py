"""A whitespace tokenizer that lowercases and folds Vietnamese diacritics.

Citizens type "giấy tờ làm khai sinh" and "giay to lam khai sinh" for the same thing;
folding both to "giay to lam khai sinh" at the token level makes every featurizer after
the tokenizer (count vectors, char n-grams, lexical features, DIET) see one vocabulary.
Token offsets still point into the original text, so entities keep their accents.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from vntext import fold

__all__ = ["VietnameseTokenizer", "fold_token_text"]


def fold_token_text(text: str) -> str:
    """Lowercase and strip diacritics (đ → d); never returns an empty string."""
    return fold(text) or text.lower()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(WhitespaceTokenizer):
    """Whitespace tokens with folded text; offsets into the original message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Same options as the whitespace tokenizer."""
        return WhitespaceTokenizer.get_default_config()

    @staticmethod
    def not_supported_languages() -> None:
        """Vietnamese separates syllables with spaces, so every language is fine."""
        return None

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Split on white space, then fold each token's text and lemma."""
        tokens = super().tokenize(message, attribute)
        folded: list[Token] = []
        for token in tokens:
            text = fold_token_text(token.text)
            folded.append(Token(text, token.start, end=token.end, data=token.data, lemma=text))
        return folded
