"""Indicator specs loaded from `data/catalogue.yaml`, the one place each indicator is described."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from asw_guard.indicators.base import IndicatorSpec


@cache
def load_specs() -> dict[str, IndicatorSpec]:
    raw: dict[str, dict[str, Any]] = yaml.safe_load(
        resources.files("asw_guard.indicators").joinpath("data/catalogue.yaml").read_text("utf-8")
    )
    return {
        ind_id: IndicatorSpec(
            id=ind_id,
            category=entry["category"],
            title=entry["title"],
            description=entry["description"],
            sources=tuple(entry["sources"]),
            default_weight=float(entry["default_weight"]),
            scope=entry.get("scope", "advert"),
            sensitive=bool(entry.get("sensitive", False)),
            enabled_by_default=bool(entry.get("enabled_by_default", not entry.get("sensitive"))),
            calibration_note=entry.get("calibration_note"),
            source_row=entry.get("source_row"),
            weak_alone=bool(entry.get("weak_alone", False)),
            link_types=tuple(entry.get("link_types", ())),
        )
        for ind_id, entry in raw.items()
    }


def spec(indicator_id: str) -> IndicatorSpec:
    return load_specs()[indicator_id]
