"""Verification of text candidates: the folded fast pass must give exactly the exact answer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asw_guard.linking.features import pack_tokens
from asw_guard.linking.text import _CODE_POINTS, similar_packed, text_similarity

# Tokens drawn from a few values and their fold twins (v + _CODE_POINTS folds onto v, and
# values around the surrogate block move past it), so folded collisions are common here.
_BASES = [0, 1, 2, 3, 0xD7FF, 0xD800, 0xDFFF, 0xE000, _CODE_POINTS - 1]
_TOKENS = st.sampled_from(
    [b + k * _CODE_POINTS for b in _BASES for k in range(3) if b + k * _CODE_POINTS < 2**32]
)
_SEQUENCE = st.lists(_TOKENS, min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(
    query=_SEQUENCE,
    stored=st.dictionaries(st.text("abcdef", min_size=1, max_size=3), _SEQUENCE, max_size=8),
    threshold=st.sampled_from([0.5, 0.8, 0.9]),
)
def test_same_answer_as_exact_comparison(
    query: list[int], stored: dict[str, list[int]], threshold: float
) -> None:
    packed = {name: pack_tokens(tokens) for name, tokens in stored.items()}
    expected = sorted(
        name
        for name, tokens in stored.items()
        if text_similarity(tuple(query), tuple(tokens)) >= threshold
    )
    assert similar_packed(query, packed, threshold) == expected


def test_fold_twins_are_not_mistaken_for_the_same_token() -> None:
    query = list(range(10))
    twins = [t + _CODE_POINTS for t in query]  # every token folds onto the query's own
    assert similar_packed(query, {"twin": pack_tokens(twins)}, 0.8) == []
    assert similar_packed(query, {"same": pack_tokens(query)}, 0.8) == ["same"]
