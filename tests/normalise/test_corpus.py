"""Precision and recall per extractor on the labelled corpus, against the targets."""

from __future__ import annotations

import pytest

from benchmarks.extraction import EXTRACTORS, load_corpus, score

TARGETS = {name: (0.95, 0.95) for name in EXTRACTORS} | {"phones": (0.99, 0.97)}


@pytest.fixture(scope="module")
def scored():  # type: ignore[no-untyped-def]
    cases = load_corpus()
    assert len(cases) >= 400
    return score(cases)


@pytest.mark.parametrize("name", EXTRACTORS)
def test_extractor_meets_target(scored, name: str) -> None:  # type: ignore[no-untyped-def]
    scores, _ = scored
    s = scores[name]
    want_p, want_r = TARGETS[name]
    detail = "\n".join(s.errors[:20])
    assert s.precision >= want_p, f"{name} precision {s.precision:.3f}\n{detail}"
    assert s.recall >= want_r, f"{name} recall {s.recall:.3f}\n{detail}"


def test_obfuscation_flag(scored) -> None:  # type: ignore[no-untyped-def]
    _, obf = scored
    assert obf.tp + obf.fn >= 20
    assert obf.fn == 0, "\n".join(obf.errors)


def test_corpus_uses_only_fictional_numbers() -> None:
    import re

    for case in load_corpus():
        for e164 in case.get("phones") or []:  # type: ignore[attr-defined]
            assert re.fullmatch(r"\+447700900\d{3}|\+441632960\d{3}|\+120255501\d\d", e164), e164
