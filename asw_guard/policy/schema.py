"""The policy file schema: what a compliance lead writes in YAML.

Every model forbids unknown keys, so a typo is an error with a suggestion rather than a rule that
silently never fires.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from asw_guard.models import Action, Band

_ID = r"^[a-z0-9][a-z0-9_.-]*$"
_WINDOW = re.compile(r"^(\d+)\s*(m|h|d)$")
_WINDOW_UNITS = {"m": "minutes", "h": "hours", "d": "days"}

#: The identifier kinds the link index keeps (see asw_guard.linking.identifiers).
IdentifierKind = Literal["phone", "email", "handle", "payment", "device", "ip", "address"]
HumanOutcome = Literal["released", "removed"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Market(_Strict):
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "GB"
    phone_region: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "GB"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "GBP"
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]] = ["en"]


class IndicatorSetting(_Strict):
    enabled: bool | None = None
    weight: Annotated[float, Field(ge=0, le=1)] | None = None


class Bands(_Strict):
    medium: Annotated[float, Field(ge=0, le=100)] = 20.0
    high: Annotated[float, Field(ge=0, le=100)] = 45.0
    critical: Annotated[float, Field(ge=0, le=100)] = 70.0

    @model_validator(mode="after")
    def _ordered(self) -> Bands:
        if not self.medium <= self.high <= self.critical:
            raise ValueError("band thresholds must rise: medium <= high <= critical")
        return self


class ClusterCondition(_Strict):
    """Facts of the cluster: this advert plus the adverts its strong identifiers (phone, email,
    handle, payment, device) link to directly, as the link index finds them at check time.
    """

    size_at_least: Annotated[int, Field(ge=1)] | None = None
    distinct_aliases_at_least: Annotated[int, Field(ge=1)] | None = None
    distinct_cities_at_least: Annotated[int, Field(ge=1)] | None = None
    distinct_accounts_at_least: Annotated[int, Field(ge=1)] | None = None


class IdentifierCount(_Strict):
    """ "The same phone on at least N adverts seen within the window" (this advert included)."""

    kind: IdentifierKind
    window: str
    at_least: Annotated[int, Field(ge=1)]

    @field_validator("window")
    @classmethod
    def _valid_window(cls, value: str) -> str:
        parse_window(value)
        return value

    @property
    def window_delta(self) -> timedelta:
        return parse_window(self.window)


def parse_window(text: str) -> timedelta:
    """`30m`, `24h`, `7d` as a timedelta."""
    match = _WINDOW.match(text)
    if match is None:
        raise ValueError(f"not a time window: {text!r} (use e.g. 30m, 24h, 7d)")
    return timedelta(**{_WINDOW_UNITS[match.group(2)]: int(match.group(1))})


class Condition(_Strict):
    """Every key given must hold (an implicit `all`). An empty condition always holds.

    A key about a fact the check does not know (no account age given, say) does not hold; wrap
    it in `not` to ask for "unknown or false".
    """

    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    # -- score and band
    band_at_least: Band | None = None
    band_below: Band | None = None
    score_at_least: Annotated[float, Field(ge=0, le=100)] | None = None
    score_below: Annotated[float, Field(ge=0, le=100)] | None = None
    # -- indicators
    #: Holds when any of these indicators fired.
    indicator: str | list[str] | None = None
    #: Holds when every one of these indicators fired.
    indicators_all: list[str] | None = None
    #: Holds when at least this many distinct indicators fired.
    indicators_at_least: Annotated[int, Field(ge=1)] | None = None
    #: Holds when an indicator of any of these categories fired.
    category: str | list[str] | None = None
    #: Holds when indicators from at least this many distinct categories fired.
    categories_at_least: Annotated[int, Field(ge=1)] | None = None
    # -- the advert and the account
    advertised_age_below: Annotated[int, Field(ge=1, le=150)] | None = None
    verified: bool | None = None
    account_age_days_below: Annotated[int, Field(ge=1)] | None = None
    payment_method: str | list[str] | None = None
    # -- the cluster and the market over time
    cluster: ClusterCondition | None = None
    identifier_count: IdentifierCount | None = None
    # -- earlier decisions of a person on this advert's cluster
    human_decision: HumanOutcome | None = None
    #: Whether the advert brings evidence the person had not seen (new indicators or a higher
    #: score than when they decided).
    new_evidence: bool | None = None


class Rule(_Strict):
    id: Annotated[str, Field(pattern=_ID)]
    description: str = ""
    when: Condition
    action: Action
    #: Among fired rules, only those of the highest priority decide; see evaluator.py.
    priority: Annotated[int, Field(ge=0, le=100)] = 0


class Retention(_Strict):
    #: How long the submitted advert is kept for reviewers after a hold, referral or check.
    snapshot_days: Annotated[int, Field(ge=1, le=3650)] = 90
    #: How long decisions and their reasons are kept (regulatory records, appeals).
    decision_record_years: Annotated[int, Field(ge=1, le=25)] = 6
    #: How long the hash-chained audit record is kept.
    audit_record_years: Annotated[int, Field(ge=1, le=25)] = 6
    #: How long a referral packet and its delivery receipts are kept.
    referral_years: Annotated[int, Field(ge=1, le=25)] = 7
    #: How long an identifier stays in the link index after it was last seen.
    link_index_days: Annotated[int, Field(ge=1, le=3650)] = 365


_DEFAULT_MESSAGES = {
    Action.ALLOW: "Your advert is live.",
    Action.FLAG: "Your advert is live.",
    Action.REQUIRE_VERIFICATION: (
        "Before your advert goes live we need to confirm your identity. "
        "Please complete the verification step in your account."
    ),
    Action.HOLD: (
        "Your advert is being reviewed by our team before it goes live. "
        "We will let you know the outcome."
    ),
    Action.REJECT: (
        "Your advert could not be published because it does not meet our terms. "
        "You can contact support to appeal."
    ),
    Action.REFER: (
        "Your advert is being reviewed by our team before it goes live. "
        "We will let you know the outcome."
    ),
}


class Messages(_Strict):
    """What the advertiser is told for each action: nothing about indicators, scores, thresholds
    or links, because networks adapt quickly to what they learn. `flag` reads like `allow` so
    that a flag cannot be detected; `refer` reads like `hold` for the same reason.
    """

    allow: Annotated[str, Field(min_length=1, max_length=1000)] = _DEFAULT_MESSAGES[Action.ALLOW]
    flag: Annotated[str, Field(min_length=1, max_length=1000)] = _DEFAULT_MESSAGES[Action.FLAG]
    require_verification: Annotated[str, Field(min_length=1, max_length=1000)] = _DEFAULT_MESSAGES[
        Action.REQUIRE_VERIFICATION
    ]
    hold: Annotated[str, Field(min_length=1, max_length=1000)] = _DEFAULT_MESSAGES[Action.HOLD]
    reject: Annotated[str, Field(min_length=1, max_length=1000)] = _DEFAULT_MESSAGES[Action.REJECT]
    refer: Annotated[str, Field(min_length=1, max_length=1000)] = _DEFAULT_MESSAGES[Action.REFER]

    def for_action(self, action: Action) -> str:
        text: str = getattr(self, action.value)
        return text


class Policy(_Strict):
    id: Annotated[str, Field(pattern=_ID)]
    version: str
    description: str = ""
    market: Market = Market()
    bands: Bands = Bands()
    indicators: dict[str, IndicatorSetting] = {}
    rules: list[Rule] = []
    default_action: Action = Action.ALLOW
    #: What to do with an advert when the check itself fails: hold it, or let it through.
    on_error: Literal["hold", "allow"] = "hold"
    retention: Retention = Retention()
    messages: Messages = Messages()

    @model_validator(mode="after")
    def _unique_rules(self) -> Policy:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
        return self

    def windows(self) -> frozenset[str]:
        """Every counter window the rules use, so the pipeline counts each once per check."""
        found: set[str] = set()

        def walk(cond: Condition) -> None:
            if cond.identifier_count is not None:
                found.add(cond.identifier_count.window)
            for sub in (cond.all or []) + (cond.any or []):
                walk(sub)
            if cond.not_ is not None:
                walk(cond.not_)

        for rule in self.rules:
            walk(rule.when)
        return frozenset(found)
