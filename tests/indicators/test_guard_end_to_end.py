"""The catalogue through the real Guard: weak signals alone pass, checklist items reach a hold."""

from __future__ import annotations

from asw_guard import Action, Guard


def test_touring_independent_is_allowed(guard: Guard) -> None:
    decision = guard.check(
        {
            "id": "ad-tour",
            "account_id": "acc-tour",
            "alias": "Mia",
            "body": "New in town for three days, just arrived! Incall only. I never do "
            "bareback. Site rules: all ages verified. Call 07700 900123.",
            "incall": True,
            "outcall": False,
        }
    )
    assert decision.action is Action.ALLOW, decision.summary()
    assert {r.indicator for r in decision.reasons} >= {"new_in_town"}


def test_held_decision_carries_the_reviewer_checklist(guard: Guard) -> None:
    decision = guard.check(
        {
            "id": "ad-minor",
            "account_id": "acc-m",
            "body": "Sweet schoolgirl, call 07700 900456.",
            "advertised_age": 16,
        }
    )
    assert decision.action.needs_review
    assert decision.reasons[0].indicator == "youth_language"
    assert "Face obscured (check by eye)" in decision.checklist
    assert "Tattoos or branding (check by eye)" in decision.checklist
