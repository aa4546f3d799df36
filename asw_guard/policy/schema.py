"""The policy file schema: what a compliance lead writes in YAML."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from asw_guard.models import Action, Band


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Market(_Strict):
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "GB"
    phone_region: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "GB"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "GBP"
    languages: list[str] = ["en"]


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


class Condition(_Strict):
    """Every key given must hold (an implicit `all`). An empty condition always holds."""

    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    band_at_least: Band | None = None
    score_at_least: Annotated[float, Field(ge=0, le=100)] | None = None
    #: Fires when any of these indicators fired.
    indicator: str | list[str] | None = None
    #: Fires when indicators from at least this many distinct categories fired.
    categories_at_least: Annotated[int, Field(ge=1)] | None = None
    advertised_age_below: Annotated[int, Field(ge=1, le=150)] | None = None
    verified: bool | None = None


class Rule(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    description: str = ""
    when: Condition
    action: Action


class Retention(_Strict):
    #: How long the submitted advert is kept for reviewers after a hold, referral or check.
    snapshot_days: Annotated[int, Field(ge=1, le=3650)] = 90


class Policy(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
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

    @model_validator(mode="after")
    def _unique_rules(self) -> Policy:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
        return self
