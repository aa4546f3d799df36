"""Public data models: what goes into a check and what comes out.

The input schema (`Advert` and what it holds) is a public contract: field names are snake_case and
stable, and every model validates strictly so a type error is reported instead of coerced. JSON
input may carry image bytes as base64 strings and timestamps as ISO 8601 strings.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1

#: Limits that keep one hostile advert from hurting the posting path. Real adverts are a few KB.
MAX_BODY_CHARS = 100_000
MAX_TITLE_CHARS = 1_000
MAX_SHORT_CHARS = 500
MAX_LIST_ITEMS = 50
MAX_IMAGES = 40
MAX_IMAGE_BYTES = 20 * 1024 * 1024

_IMAGE_MAGIC: tuple[tuple[bytes, int], ...] = (
    (b"\xff\xd8\xff", 0),  # JPEG
    (b"\x89PNG\r\n\x1a\n", 0),
    (b"GIF87a", 0),
    (b"GIF89a", 0),
    (b"WEBP", 8),  # RIFF....WEBP
    (b"BM", 0),
)


def _looks_like_image(data: bytes) -> bool:
    return any(data[off : off + len(magic)] == magic for magic, off in _IMAGE_MAGIC)


def _check_unicode(value: str) -> str:
    # Lone surrogates survive JSON decoding but cannot be stored or hashed as UTF-8.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"invalid Unicode at position {exc.start}") from None
    return value


class _Model(BaseModel):
    # Empty list and dict defaults are written as `default_factory`: a literal `[]` default is
    # deep-copied through Python on every instance, which made building a model several times
    # slower, and checks build dozens of them.
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        val_json_bytes="base64",
        ser_json_bytes="base64",
    )


ShortText = Annotated[str, Field(max_length=MAX_SHORT_CHARS)]


class Action(StrEnum):
    """What the operator should do with the advert. Ordered from least to most severe."""

    ALLOW = "allow"
    FLAG = "flag"
    REQUIRE_VERIFICATION = "require_verification"
    HOLD = "hold"
    REJECT = "reject"
    REFER = "refer"

    @property
    def severity(self) -> int:
        return _ACTION_ORDER.index(self)

    @property
    def needs_review(self) -> bool:
        """Whether a person must look at the advert before it is (re)published."""
        return self in (Action.HOLD, Action.REFER, Action.REQUIRE_VERIFICATION)


_ACTION_ORDER = list(Action)


class Band(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _BAND_ORDER.index(self)


_BAND_ORDER = list(Band)


class DecisionStatus(StrEnum):
    """Where a decision is in its lifecycle; changes are recorded as audit events."""

    FINAL = "final"  # automatic and needs nobody
    PENDING_REVIEW = "pending_review"  # waiting for a person
    RELEASED = "released"  # a person published it
    REMOVED = "removed"  # a person took it down


class Location(_Model):
    city: ShortText | None = None
    region: ShortText | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    #: The operator's own stable key for an address or venue (hash it first if you like).
    address_key: ShortText | None = None


class Price(_Model):
    amount: Annotated[float, Field(ge=0, le=1_000_000)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "GBP"
    minutes: Annotated[int, Field(gt=0, le=60 * 24 * 60)] | None = None
    service: ShortText | None = None


class ImageRef(_Model):
    """One photo: raw bytes, or a perceptual hash the operator computed already."""

    id: ShortText | None = None
    data: bytes | None = Field(default=None, repr=False)
    phash: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ImageRef:
        if (self.data is None) == (self.phash is None):
            raise ValueError("give exactly one of data or phash")
        if self.data is not None:
            if len(self.data) > MAX_IMAGE_BYTES:
                raise ValueError(f"image larger than {MAX_IMAGE_BYTES} bytes")
            if not _looks_like_image(self.data):
                raise ValueError("data is not a JPEG, PNG, GIF, WebP or BMP image")
        return self


class Advert(_Model):
    """One advert as the operator's pipeline sees it.

    Only `id`, `account_id` and `body` are required.
    """

    id: Annotated[str, Field(min_length=1, max_length=200)]
    account_id: Annotated[str, Field(min_length=1, max_length=200)]
    body: Annotated[str, Field(max_length=MAX_BODY_CHARS)]
    version: Annotated[int, Field(ge=1)] = 1
    title: Annotated[str, Field(max_length=MAX_TITLE_CHARS)] | None = None
    alias: ShortText | None = None
    advertised_age: Annotated[int, Field(ge=0, le=150)] | None = None
    location: Location | None = None
    phones: Annotated[list[ShortText], Field(max_length=MAX_LIST_ITEMS)] = Field(
        default_factory=list
    )
    emails: Annotated[list[ShortText], Field(max_length=MAX_LIST_ITEMS)] = Field(
        default_factory=list
    )
    handles: Annotated[list[ShortText], Field(max_length=MAX_LIST_ITEMS)] = Field(
        default_factory=list
    )
    prices: Annotated[list[Price], Field(max_length=MAX_LIST_ITEMS)] = Field(default_factory=list)
    availability: Annotated[str, Field(max_length=MAX_TITLE_CHARS)] | None = None
    incall: bool | None = None
    outcall: bool | None = None
    images: Annotated[list[ImageRef], Field(max_length=MAX_IMAGES)] = Field(default_factory=list)
    verified: bool | None = None
    payment_method: ShortText | None = None
    payment_token: ShortText | None = None
    device_token: ShortText | None = None
    ip_token: ShortText | None = None
    posted_at: datetime | None = None
    #: Operator labels for signals with no honest automatic detector, e.g. {"face_obscured": true}.
    labels: Annotated[dict[ShortText, bool], Field(max_length=MAX_LIST_ITEMS)] = Field(
        default_factory=dict
    )
    #: Client reviews of the advert, when the site has them.
    reviews: Annotated[list[Annotated[str, Field(max_length=10_000)]], Field(max_length=200)] = (
        Field(default_factory=list)
    )

    @field_validator("body", "title", "alias", "availability", mode="after")
    @classmethod
    def _valid_unicode(cls, value: str | None) -> str | None:
        return None if value is None else _check_unicode(value)

    @field_validator("phones", "emails", "handles", "reviews", mode="after")
    @classmethod
    def _valid_unicode_list(cls, values: list[str]) -> list[str]:
        return [_check_unicode(v) for v in values]

    def texts(self) -> dict[str, str]:
        """The free-text fields indicators read, keyed by field name."""
        out = {"body": self.body}
        if self.title:
            out["title"] = self.title
        if self.availability:
            out["availability"] = self.availability
        return out


class Account(_Model):
    """What the operator knows about the account that posted an advert (all optional)."""

    id: Annotated[str, Field(min_length=1, max_length=200)]
    created_at: datetime | None = None
    verified: bool | None = None
    ad_spend_30d: Annotated[float, Field(ge=0)] | None = None
    payment_method: ShortText | None = None


class Evidence(_Model):
    """Where an indicator found its signal: a span of text, a field, or linked adverts.

    Evidence never copies advert text: a span is offsets into the named field of the original
    advert, which the review console highlights from the stored snapshot.
    """

    kind: Literal["text", "field", "link"]
    field: str | None = None
    start: int | None = None
    end: int | None = None
    #: For links: what joins them (phone, email, template, image, ...).
    link_type: str | None = None
    advert_ids: list[str] = Field(default_factory=list)
    account_ids: list[str] = Field(default_factory=list)
    note: str | None = None


class Reason(_Model):
    """One indicator that contributed to a decision, explained for a reviewer."""

    indicator: str
    category: str
    explanation: str
    weight: float
    evidence: list[Evidence] = Field(default_factory=list)


class StageTimings(_Model):
    """Milliseconds spent in each pipeline stage of one check."""

    total_ms: float
    stages: dict[str, float] = Field(default_factory=dict)


class Decision(_Model):
    """The outcome of checking one version of one advert."""

    schema_version: int = SCHEMA_VERSION
    decision_id: str
    advert_id: str
    advert_version: int
    account_id: str
    action: Action
    status: DecisionStatus
    score: Annotated[float, Field(ge=0, le=100)]
    band: Band
    reasons: list[Reason] = Field(default_factory=list)
    rules_fired: list[str] = Field(default_factory=list)
    #: What the advertiser may be told: from the policy's `messages`, never naming an indicator,
    #: a score, a threshold or a link. `reasons` are for reviewers only.
    advertiser_message: str = ""
    #: Items a reviewer should check by eye (signals with no honest automatic detection).
    checklist: list[str] = Field(default_factory=list)
    cluster_id: str | None = None
    policy_id: str
    policy_version: str
    policy_hash: str
    #: Problems that did not stop the check, e.g. one undecodable image.
    warnings: list[str] = Field(default_factory=list)
    timings: StageTimings
    created_at: datetime
    engine_version: str

    def summary(self) -> str:
        """One line for a reviewer: action, band, score and the top reasons."""
        top = "; ".join(r.explanation for r in self.reasons[:3]) or "no indicators"
        return f"{self.action.value} ({self.band.value}, {self.score:.0f}/100): {top}"
