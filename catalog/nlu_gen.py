"""Generated NLU examples: the six procedure questions asked about the whole catalog.

The hand-written training data (nlu_data/nlu/*.yml) names the 22 procedures the province
compiled by hand; a question about one of the other national procedures ("cấp giấy phép
khai thác khoáng sản mất mấy ngày") has words the model never saw beside a question and
falls to out_of_scope. This module writes `N` examples per ask_* intent: citizens'
question templates around procedure names taken from the catalog itself (the province's
colloquial aliases, and the short heads of national names chosen by popularity across
domains: `catalog.nlu_phrases`), half of them without diacritics, with the name annotated
as `procedure` like the hand-written data. Seeded and sorted: the same catalog gives the
same file.

    python -m catalog.nlu_gen          # rewrite nlu_data/nlu/generated_catalog.yml
    python -m catalog.nlu_gen --check  # exit 1 when the committed file is not current
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from catalog.national.export import SNAPSHOT, read_export
from catalog.nlu_phrases import (
    Phrase,
    interleave,
    local_phrases,
    national_phrases,
    utterance_key,
)
from catalog.nlu_templates import ABBREVIATIONS, CLOSERS, OPENERS, TEMPLATES
from vntext import fold, normalize_spaces

__all__ = ["Phrase", "generate", "national_phrases", "local_phrases", "render", "main"]

REPO = Path(__file__).resolve().parents[1]
NLU_DIR = REPO / "nlu_data" / "nlu"
OUT = NLU_DIR / "generated_catalog.yml"
COMMAND = "python -m catalog.nlu_gen"
PER_INTENT = 30  # beside 75-145 hand-written examples each: more would drown the other intents
USES_PER_PHRASE = 1  # one question per name: as many names (and domains' words) as possible
OPENER_SHARE = 0.25  # most people type the question straight away
CLOSER_SHARE = 0.35
LOCAL_SHARE = 1 / 3  # of the names: the province's aliases; the rest: national heads
SEED = 20261201
_ENTITY = re.compile(r"\[([^\]]+)\]\(procedure\)")


def _fold_question(text: str, rng: random.Random) -> str:
    """`text` typed without diacritics, with the shorthand some citizens use."""
    words = fold(text).split()
    out = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        taken = 2 if pair in ABBREVIATIONS else 1
        found = pair if taken == 2 else words[i]
        short = ABBREVIATIONS.get(found)
        out.append(rng.choice(short) if short and rng.random() < 0.35 else found)
        i += taken
    return " ".join(out)


def _example(template: str, phrase: Phrase, *, plain: bool, rng: random.Random) -> str:
    opener = rng.choice(OPENERS) if rng.random() < OPENER_SHARE else ""
    closed = template.endswith(("ạ", "vậy", "không"))
    closer = rng.choice(CLOSERS) if not closed and rng.random() < CLOSER_SHARE else ""
    before, _, after = (opener + template + closer).partition("{p}")
    name = phrase.text
    verb = before.split()[-1] if before.split() else ""
    if verb and name.startswith(verb + " "):  # "làm {p}" with "làm giấy chứng tử"
        before = before.rstrip()[: -len(verb)]
    if plain:
        before, after, name = (_fold_question(before, rng), _fold_question(after, rng), fold(name))
    text = normalize_spaces(f"{before} [{name}](procedure) {after}")
    return text.replace(" ?", "?").replace(" ,", ",")


def generate(
    phrases: Sequence[Phrase], *, per_intent: int = PER_INTENT, avoided: Iterable[str] = ()
) -> dict[str, list[str]]:
    """`per_intent` examples per ask_* intent; every other one without diacritics."""
    rng = random.Random(SEED)
    phrases = list(phrases)
    rng.shuffle(phrases)  # which names go with which intents: by chance, not by source
    intents = sorted(TEMPLATES)
    taken = set(avoided)
    examples: dict[str, list[str]] = {intent: [] for intent in intents}
    slots = [(intent, i) for i in range(per_intent) for intent in intents]
    needed = math.ceil(len(slots) / USES_PER_PHRASE)
    if len(phrases) < needed:
        raise ValueError(f"{needed} procedure names needed, {len(phrases)} found")
    # Within an intent every other example is without diacritics (with two uses per
    # name, consecutive slots ask two intents about it, once each way).
    for number, (intent, index) in enumerate(slots):
        phrase = phrases[number // USES_PER_PHRASE]
        plain = (number + number // len(intents)) % 2 == 1
        templates = TEMPLATES[intent]
        for attempt in range(len(templates)):
            template = templates[(index + attempt) % len(templates)]
            text = _example(template, phrase, plain=plain, rng=rng)
            if utterance_key(text) not in taken:
                taken.add(utterance_key(text))
                examples[intent].append(text)
                break
    return examples


def render(examples: dict[str, list[str]]) -> str:
    """The training file, header first."""
    lines = [
        'version: "3.1"',
        "",
        f"# GENERATED by `{COMMAND}` (catalog/nlu_gen.py) from catalog/content/ and the",
        "# national snapshot: do not edit by hand; change the templates or the selection",
        "# and run the command again (tests/catalog/test_nlu_gen.py checks it is current).",
        "nlu:",
    ]
    for intent, texts in examples.items():
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {text}" for text in texts]
    return "\n".join(lines) + "\n"


def hand_written(nlu_dir: Path = NLU_DIR) -> dict[str, list[str]]:
    """The examples of every other training file, by intent."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(nlu_dir.glob("*.yml")):
        if path.name == OUT.name:
            continue
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                found[block["intent"]] += [
                    line[2:] for line in block["examples"].splitlines() if line.startswith("- ")
                ]
    return dict(found)


def build(per_intent: int = PER_INTENT) -> str:
    """The file's content from the committed catalog and training data."""
    written = hand_written()
    out_of_scope = [utterance_key(text) for text in written.get("out_of_scope", [])]
    named = [
        utterance_key(name)
        for texts in written.values()
        for t in texts
        for name in _ENTITY.findall(t)
    ]
    local = local_phrases(out_of_scope, named)
    national = national_phrases(read_export(SNAPSHOT), out_of_scope, named)
    needed = math.ceil(per_intent * len(TEMPLATES) / USES_PER_PHRASE)
    local_count = min(len(local), round(needed * LOCAL_SHARE))
    chosen = interleave(local[:local_count], national[: needed - local_count])
    existing = [utterance_key(text) for texts in written.values() for text in texts]
    return render(generate(chosen, per_intent=per_intent, avoided=existing))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the file is current")
    args = parser.parse_args(argv)
    content = build()
    if args.check:
        current = OUT.is_file() and OUT.read_text(encoding="utf-8") == content
        print(
            f"{OUT.relative_to(REPO)} is {'current' if current else 'NOT current: run ' + COMMAND}"
        )
        return 0 if current else 1
    OUT.write_text(content, encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
