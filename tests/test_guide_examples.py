"""The coordinator guide's examples are real: each is run, in-process, on a fresh catalogue.

The markers (`<!-- eksempel: før ... -->`) and what they mean are in generator/docs.py and at the
top of docs/koordinator/fejlkoder.md. A "før" example must give its heading's code and nothing
else, its "efter" must give nothing, and a whole example file must pass `catalogue check`.
"""

from __future__ import annotations

from collections import Counter

import pytest

from generator import docs
from generator.diagnostics import CODES

EXAMPLES = docs.all_examples()
RUN = [e for e in EXAMPLES if e.kind != "ingen"]


def _codes(found) -> list[str]:
    return sorted({d.code for d in found})


def _shown(found) -> str:
    return "\n".join(f"  {d.pos}: {d.code}: {d.message}" for d in found) or "  (ingenting)"


@pytest.mark.parametrize("example", RUN, ids=lambda e: f"{e.code or e.doc}-{e.kind}-{e.line}")
def test_the_example_gives_what_the_guide_says(example, tmp_path):
    found, _ = docs.diagnose(example, tmp_path)
    if example.kind == "før":
        expected = sorted({example.code, *filter(None, example.options.get("also", "").split(","))})
        assert _codes(found) == expected, (
            f"{example.where}: the 'før' example should give {', '.join(expected)} and nothing "
            f"else, but gives:\n{_shown(found)}")
    else:
        assert found == [], (f"{example.where}: the '{example.kind}' example should pass "
                             f"`catalogue check`, but gives:\n{_shown(found)}")


def test_every_code_has_an_executed_before_and_after_example():
    kinds = {code: Counter() for code in CODES}
    for example in RUN:
        if example.code in kinds:
            kinds[example.code][example.kind] += 1
            if example.kind == "før" and example.options.get("uden-efter"):
                kinds[example.code]["efter"] += 1  # the fix is prose, and the marker says why
    missing = [f"{code}: add a '<!-- eksempel: {kind} ... -->' block under '### {code} – "
               f"{CODES[code].title}' in docs/koordinator/fejlkoder.md"
               for code, seen in kinds.items() for kind in ("før", "efter") if not seen[kind]]
    assert missing == [], "codes without an executed example:\n" + "\n".join(missing)


@pytest.mark.parametrize("doc", docs.DOCS, ids=lambda p: p.name)
def test_every_example_block_in_the_guide_is_marked(doc):
    _, blocks = docs.parse(doc)
    unmarked = [f"docs/koordinator/{b.doc}:{b.line} ({b.language or 'text'})" for b in blocks
                if b.language in ("yaml", "markdown", "csv")
                or (not b.in_output and _looks_like_output(b.text))]
    assert unmarked == [], ("blocks without an '<!-- eksempel: ... -->' marker (or, for "
                            "output, an '<!-- output: check -->' region):\n" + "\n".join(unmarked))


def _looks_like_output(text: str) -> bool:
    return any(f" {word} " in text and any(c in text for c in CODES)
               for word in ("fejl", "advarsel"))


def test_a_deliberately_unrun_block_says_why():
    silent = [e.where for e in EXAMPLES if e.kind == "ingen" and not e.options.get("grund")]
    assert silent == []
