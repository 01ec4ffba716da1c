"""Generated NLU examples: the six procedure questions asked about the whole catalog.

The hand-written training data (nlu_data/nlu/*.yml) names the 22 procedures the province
compiled by hand; a question about one of the other national procedures ("cấp giấy phép
khai thác khoáng sản mất mấy ngày") has words the model never saw beside a question and
falls to out_of_scope. This module writes `N` examples per ask_* intent: citizens'
question templates around procedure names taken from the catalog itself (the province's
colloquial aliases, and the short heads of national names chosen by popularity across
domains), half of them without diacritics, with the name annotated as `procedure` like
the hand-written data. Seeded and sorted: the same catalog gives the same file.

    python -m catalog.nlu_gen          # rewrite nlu_data/nlu/generated_catalog.yml
    python -m catalog.nlu_gen --check  # exit 1 when the committed file is not current
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from catalog.loader import CONTENT_DIR, load_content
from catalog.name_forms import short_forms
from catalog.national.export import SNAPSHOT, NationalExport, read_export
from catalog.national.records import CheckedProcedure, check_procedure
from catalog.nlu_templates import ABBREVIATIONS, CLOSERS, OPENERS, TEMPLATES
from catalog.popularity import default_popularity
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

CITIZEN = "Công dân Việt Nam"
_MIN_WORDS, _MAX_WORDS = 2, 8
_LEADING = re.compile(r"^(?:thủ tục|thu tuc)\s+", re.IGNORECASE)
_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_ENTITY = re.compile(r"\[([^\]]+)\]\(procedure\)")
# Where a name's qualifier begins, with diacritics: name_forms cuts folded names, where
# "khí" of "vũ khí" reads as "khi" and "trọng" of "tải trọng" as "trong".
_QUALIFIER_WORDS = frozenset(
    {"đối", "thuộc", "trong", "thực", "theo", "giữa", "từ", "ở", "khi", "do", "sau", "trước"}
    | {"cho", "mà", "và", "tại", "cấp"}
)
_PUNCT = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class Phrase:
    """A name a citizen may use for procedure `code` (lowercase, with diacritics)."""

    text: str
    code: str


def _key(text: str) -> str:
    """How two utterances compare: no markup, folded, no punctuation, spaces collapsed."""
    return normalize_spaces(_PUNCT.sub(" ", fold(_MARKUP.sub(r"\1", text))))


def _accented_head(name: str, folded_head: str) -> str:
    """`folded_head` (a prefix of the folded name) with the name's own diacritics back."""
    nfc = normalize_spaces(unicodedata.normalize("NFC", name))
    # fold() maps each NFC character to one character: offsets carry over.
    return nfc[: len(folded_head)]


def citizen_head(name: str) -> str | None:
    """The shortest plain head of a national name a citizen could type, or None."""
    nfc = normalize_spaces(unicodedata.normalize("NFC", name))
    forms = [fold(nfc), *short_forms(nfc)]
    heads = []
    for form in forms:
        rest = nfc[len(form) :].split()
        if rest and rest[0][0] not in "(,;:" and rest[0].lower() not in _QUALIFIER_WORDS:
            continue  # cut inside a word's folded look-alike: "khai báo vũ" (khí)
        head = _LEADING.sub("", _accented_head(nfc, form)).lower().strip(" ,.;")
        if re.search(r"[,;()/\"“”]", head):  # lists and qualifiers read like a register
            continue
        if _MIN_WORDS <= len(head.split()) <= _MAX_WORDS:
            heads.append(head)
    return min(heads, key=lambda h: (len(h.split()), h)) if heads else None


def _collides(phrase: str, avoided: Sequence[str]) -> bool:
    """A name within an out_of_scope example (or one inside the name) would teach both."""
    key = f" {_key(phrase)} "
    words = set(key.split())
    return any(f" {other} " in key or words <= set(other.split()) for other in avoided)


def local_phrases(avoided: Sequence[str], known: Iterable[str] = ()) -> list[Phrase]:
    """The province's aliases the hand-written data does not name yet, most popular first."""
    skipped = set(avoided) | set(known)
    entries = sorted((e.entry for e in load_content(CONTENT_DIR)), key=lambda e: e.code)
    entries.sort(key=lambda e: -(e.popularity or 0))
    return [
        Phrase(normalize_spaces(alias.lower()), entry.code)
        for entry in entries
        for alias in entry.aliases
        if _key(alias) not in skipped and not _collides(alias, avoided)
    ]


def national_phrases(
    export: NationalExport, avoided: Sequence[str], known: Iterable[str] = ()
) -> list[Phrase]:
    """Heads of the names of procedures citizens file: half of them from the full records
    (land, civil status, construction, residence: what a commune office handles most),
    half from the whole list, spread across its 280 domains.

    Within a domain (the portal's category) by popularity; across domains, a domain with
    `c` procedures gets its r-th name (from 1) at r / sqrt(c): land comes up far more
    often than civil aviation, but every domain comes up.
    """
    detailed: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    listed: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for code in sorted(export.listing):
        checked = check_procedure(code, export.listing[code], export.details.get(code))
        if not isinstance(checked, CheckedProcedure) or not _for_citizens(checked):
            continue
        popularity = default_popularity(
            name=checked.name,
            level=checked.fields.get("level"),
            kind=checked.fields.get("type"),
            detailed=checked.detailed,
        )
        head = citizen_head(checked.name)
        if head is None or popularity <= 1 or _collides(head, avoided):
            continue
        category = (checked.fields.get("categories") or [""])[0]
        (detailed if checked.detailed else listed)[category].append(
            (popularity, code.strip(), head)
        )
    full, other = _spread(detailed), _spread(listed)
    common = min(len(full), len(other))
    phrases = [p for pair in zip(full, other, strict=False) for p in pair]
    phrases += full[common:] + other[common:]
    seen = set(known)  # names the hand-written data already asks about
    unique = []
    for phrase in phrases:
        if _key(phrase.text) not in seen:
            seen.add(_key(phrase.text))
            unique.append(phrase)
    return unique


def _spread(by_category: dict[str, list[tuple[int, str, str]]]) -> list[Phrase]:
    """(popularity, code, head) by domain → one list, most popular first, domains mixed."""
    ranked: list[tuple[float, int, str, str]] = []
    for members in by_category.values():
        members.sort(key=lambda m: (-m[0], m[1]))
        weight = math.sqrt(len(members))
        ranked += [
            ((rank + 1) / weight, -pop, code, head)
            for rank, (pop, code, head) in enumerate(members)
        ]
    return [Phrase(head, code) for _, _, code, head in sorted(ranked)]


def _for_citizens(checked: CheckedProcedure) -> bool:
    return checked.fields.get("type") != "STANDARD_INTERNAL" and CITIZEN in (
        checked.fields.get("target") or []
    )


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
            if _key(text) not in taken:
                taken.add(_key(text))
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
    out_of_scope = [_key(text) for text in written.get("out_of_scope", [])]
    named = [_key(name) for texts in written.values() for t in texts for name in _ENTITY.findall(t)]
    local = local_phrases(out_of_scope, named)
    national = national_phrases(read_export(SNAPSHOT), out_of_scope, named)
    needed = math.ceil(per_intent * len(TEMPLATES) / USES_PER_PHRASE)
    local_count = min(len(local), round(needed * LOCAL_SHARE))
    chosen = _interleave(local[:local_count], national[: needed - local_count])
    existing = [_key(text) for texts in written.values() for text in texts]
    return render(generate(chosen, per_intent=per_intent, avoided=existing))


def _interleave(first: Sequence[Phrase], second: Sequence[Phrase]) -> list[Phrase]:
    """Both lists mixed evenly, so every intent gets aliases and national names alike."""
    total = len(first) + len(second)
    marks = sorted(
        [((i + 0.5) / len(first), 0, i) for i in range(len(first))]
        + [((i + 0.5) / len(second), 1, i) for i in range(len(second))]
    )
    return [(first if side == 0 else second)[i] for _, side, i in marks][:total]


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
