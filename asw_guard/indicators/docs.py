"""`docs/indicators.md`, generated from the registry so the documentation cannot drift.

Regenerate with `asw-guard indicators --markdown > docs/indicators.md`; a test fails when the
committed file differs from what this function writes.
"""

from __future__ import annotations

from collections.abc import Iterable

from asw_guard.indicators.base import IndicatorSpec
from asw_guard.indicators.phrases import available_languages, phrase_lists

_SCOPE = {
    "advert": "per advert",
    "network": "across linked adverts",
    "checklist": "reviewer checklist / operator label",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def languages_for(indicator_id: str) -> list[str]:
    return [lang for lang in available_languages() if indicator_id in phrase_lists(lang)]


def markdown(specs: Iterable[IndicatorSpec]) -> str:
    specs = list(specs)
    lines = [
        "# Indicators",
        "",
        "<!-- Generated: asw-guard indicators --markdown > docs/indicators.md (do not edit) -->",
        "",
        "Every indicator is a starting point for investigation, not evidence. Weights are the",
        "contribution of a full-strength hit before risk combination (see `asw_guard/risk.py`):",
        "hits in one category overlap, independent categories accumulate, and a sensitive",
        "indicator is capped so it can never decide an outcome.",
        "",
        f"{len(specs)} indicators. Phrase lists: "
        + ", ".join(f"`{lang}`" for lang in available_languages())
        + " (`asw_guard/indicators/data/phrases/`); emoji codes in"
        " `asw_guard/indicators/data/emoji.yaml`.",
        "",
        "Context words in the phrase lists change what a match means: a negation just before it",
        '("I never do bareback") or a quoted site rule in the same sentence ("no under 18s",',
        '"all ages verified") silences it; a dampener in the same sentence ("role play") halves',
        'it; a booster nearby ("young" beside "fresh") strengthens it. Every hit carries',
        "evidence as offsets into the original text, or the linked adverts behind a network",
        "signal; never a copy of the text.",
        "",
        "Network detectors read the link types listed for them; a type that no link source",
        "produces yet leaves the detector silent until one does. Checklist items appear in held",
        "decisions for a reviewer to tick, and fire when the operator sets the label of the same",
        'name on the advert (`labels: {"face_obscured": true}`).',
        "",
        "| id | category | weight | default | scope | sources |",
        "|---|---|---|---|---|---|",
    ]
    for s in specs:
        default = "on" if s.enabled_by_default else "off"
        if s.sensitive:
            default += " (sensitive)"
        lines.append(
            f"| [`{s.id}`](#{s.id}) | {s.category} | {s.default_weight:.2f} | {default} | "
            f"{_SCOPE[s.scope]} | {_cell(', '.join(s.sources))} |"
        )
    for s in specs:
        lines += ["", f"## {s.id}", "", f"**{_cell(s.title)}** ({s.category}). {s.description}", ""]
        lines.append(f"- Sources: {', '.join(s.sources)}")
        if s.source_row is not None:
            lines.append(f"- Catalogue row: {s.source_row}")
        lines.append(f"- Default weight: {s.default_weight:.2f}; scope: {_SCOPE[s.scope]}")
        lines.append(
            f"- Enabled by default: {'yes' if s.enabled_by_default else 'no'}"
            + ("; sensitive (capped, never decisive)" if s.sensitive else "")
        )
        if s.link_types:
            lines.append(f"- Reads links of type: {', '.join(s.link_types)}")
        langs = languages_for(s.id)
        if langs:
            lines.append(f"- Phrase lists: {', '.join(langs)}")
        if s.weak_alone:
            lines.append("- Weak on its own: counts alongside other signals")
        if s.calibration_note:
            lines.append(f"- Calibration: {s.calibration_note}")
    return "\n".join(lines) + "\n"
