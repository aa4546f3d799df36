"""The demo's HTML report: each network the guard found, drawn, explained and scored against
the planted truth. One self-contained file with inline SVG, no scripts, no external assets.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from asw_guard.models import Decision
from asw_guard.store.base import ClusterSummary, Store
from asw_guard.synth.market import Market
from asw_guard.synth.score import STOPPING, MarketScore

LINK_COLOURS = {
    "phone": "#d62728",
    "email": "#9467bd",
    "handle": "#8c564b",
    "payment": "#ff7f0e",
    "device": "#e377c2",
    "address": "#2ca02c",
    "text": "#1f77b4",
    "photo": "#17becf",
    "close_number": "#bcbd22",
}
KIND_COLOURS = {
    "network": "#d62728",
    "independent": "#2ca02c",
    "touring": "#98df8a",
    "agency": "#1f77b4",
}
MAX_DRAWN = 80


@dataclass
class FoundNetwork:
    summary: ClusterSummary
    stopped: int
    reasons: list[tuple[str, int]]
    truth: str
    purity: float
    planted_share: float


def found_networks(
    market: Market, decisions: Sequence[Decision], store: Store
) -> list[FoundNetwork]:
    """Clusters spanning several accounts with at least one stopped advert, largest first."""
    by_advert = {d.advert_id: d for d in decisions}
    planted = Counter(t.network_id for t in market.truth.values() if t.network_id)
    seen: set[str] = set()
    out = []
    for d in decisions:
        if d.action not in STOPPING:
            continue
        cluster_id = store.cluster_of(d.advert_id)
        if cluster_id is None or cluster_id in seen:
            continue
        seen.add(cluster_id)
        summary = store.cluster_summary(cluster_id)
        if summary is None or len(summary.account_ids) < 2:
            continue
        members = [by_advert[a] for a in summary.advert_ids if a in by_advert]
        reasons: Counter[str] = Counter()
        example: dict[str, str] = {}
        for m in members:
            for r in m.reasons:
                # One line per indicator, with its strongest wording in the cluster.
                if r.indicator not in reasons or len(r.explanation) > len(example[r.indicator]):
                    example[r.indicator] = r.explanation
            reasons.update({r.indicator for r in m.reasons})
        labels = Counter(
            market.truth[a].network_id or market.truth[a].kind for a in summary.advert_ids
        )
        top, count = labels.most_common(1)[0]
        out.append(
            FoundNetwork(
                summary=summary,
                stopped=sum(1 for m in members if m.action in STOPPING),
                reasons=[(example[k], n) for k, n in reasons.most_common(6)],
                truth=top,
                purity=count / summary.size,
                planted_share=count / planted[top] if top in planted else 0.0,
            )
        )
    out.sort(key=lambda f: -f.summary.size)
    return out


def network_svg(summary: ClusterSummary, market: Market, size: int = 420) -> str:
    """Accounts on an inner ring (squares), their adverts around them (dots), links as lines."""
    adverts = summary.advert_ids[:MAX_DRAWN]
    accounts = sorted({market.truth[a].account_id for a in adverts})
    centre = size / 2
    pos: dict[str, tuple[float, float]] = {}
    parts = []
    for i, account in enumerate(accounts):
        angle = 2 * math.pi * i / max(1, len(accounts))
        ax, ay = centre + size * 0.3 * math.cos(angle), centre + size * 0.3 * math.sin(angle)
        pos[account] = (ax, ay)
        own = [a for a in adverts if market.truth[a].account_id == account]
        for j, ad in enumerate(own):
            spread = 2 * math.pi * j / max(1, len(own)) + angle
            radius = size * (0.07 + 0.025 * (j % 2))
            pos[ad] = (ax + radius * math.cos(spread), ay + radius * math.sin(spread))
            parts.append(
                f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{pos[ad][0]:.1f}" y2="{pos[ad][1]:.1f}" '
                'stroke="#bbb"/>'
            )
    drawn = set(adverts)
    per_advert: Counter[str] = Counter()
    for edge in summary.links:
        # A few links per advert show the structure; all of them would be a hairball.
        if edge.advert_id in drawn and edge.other_id in drawn and per_advert[edge.advert_id] < 3:
            per_advert[edge.advert_id] += 1
            (x1, y1), (x2, y2) = pos[edge.advert_id], pos[edge.other_id]
            colour = LINK_COLOURS.get(edge.type, "#999")
            dash = "" if edge.strength == "strong" else ' stroke-dasharray="4 3"'
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{colour}" stroke-opacity="0.5"{dash}/>'
            )
    for ad in adverts:
        x, y = pos[ad]
        kind = market.truth[ad].kind
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{KIND_COLOURS[kind]}">'
            f"<title>{escape(ad)} ({kind})</title></circle>"
        )
    for account in accounts:
        x, y = pos[account]
        parts.append(
            f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="#333">'
            f"<title>account {escape(account)}</title></rect>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}">{"".join(parts)}</svg>'
    )


def _legend() -> str:
    items = "".join(
        f'<span><i style="background:{c}"></i>{escape(t)}</span>' for t, c in LINK_COLOURS.items()
    )
    kinds = "".join(
        f'<span><i style="background:{c};border-radius:50%"></i>{escape(k)} advert</span>'
        for k, c in KIND_COLOURS.items()
    )
    return (
        f'<p class="legend">{kinds}<span><i style="background:#333"></i>account</span></p>'
        f'<p class="legend">links: {items} (dashed: weak)</p>'
    )


CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{margin-bottom:.2rem} .muted{color:#666} table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:right} th{background:#f5f5f5}
td:first-child,th:first-child{text-align:left}
.net{display:flex;gap:1.5rem;border-top:1px solid #ddd;padding:1rem 0}
.legend span{margin-right:.9rem;white-space:nowrap}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.ok{color:#1a7f37} .miss{color:#b42318}
"""


def render_report(
    market: Market, decisions: Sequence[Decision], store: Store, score: MarketScore
) -> str:
    found = found_networks(market, decisions, store)
    rows = "".join(
        f"<tr><td>{escape(n.network_id)} ({n.sophistication})</td><td>{n.adverts}</td>"
        f"<td>{n.at_medium}</td><td>{n.stopped}</td><td>{n.before_first_stop}</td>"
        f'<td class="{"ok" if n.stopped else "miss"}">{"found" if n.stopped else "missed"}</td>'
        "</tr>"
        for n in score.networks
    )
    sections = []
    for i, f in enumerate(found, start=1):
        s = f.summary
        link_types = Counter(e.type for e in s.links)
        links = ", ".join(f"{t} ({n})" for t, n in link_types.most_common())
        reasons = "".join(
            f"<li>{escape(r)} <span class=muted>({n} adverts)</span></li>" for r, n in f.reasons
        )
        truth = (
            f"Planted network <b>{escape(f.truth)}</b>: {f.purity:.0%} of this cluster belongs "
            f"to it, and it holds {f.planted_share:.0%} of that network's adverts."
            if f.truth.startswith("net-")
            else f"Mostly <b>{escape(f.truth)}</b> adverts: not a planted network."
        )
        sections.append(
            f'<div class="net"><div>{network_svg(s, market)}</div><div>'
            f"<h3>Cluster {i}: {s.size} adverts, {len(s.account_ids)} accounts</h3>"
            f"<p>{s.distinct_aliases} names, ages {', '.join(map(str, s.ages)) or 'not given'}; "
            f"cities: {escape(', '.join(s.cities)) or 'not given'}; "
            f"{s.first_seen:%d %b} to {s.last_seen:%d %b %Y}.</p>"
            f"<p>{f.stopped} adverts stopped. Joined by: {escape(links) or 'no recorded links'}."
            f"</p><p>Why (most common reasons):</p><ul>{reasons}</ul><p>{truth}</p></div></div>"
        )
    return (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        "<title>asw-guard demo: networks found</title>"
        f"<style>{CSS}</style><h1>Networks found in the synthetic market</h1>"
        f'<p class="muted">{score.adverts:,} adverts, seed {market.seed}. Every advert, name '
        "and number here is synthetic.</p>"
        f"<p><b>{score.networks_found} of {len(score.networks)}</b> planted networks had an "
        f"advert stopped; {100 * score.share_stopped('independent', 'touring'):.2f}% of "
        "independent advertisers' adverts were stopped.</p>"
        "<table><tr><th>planted network</th><th>adverts</th><th>band ≥ medium</th>"
        f"<th>stopped</th><th>posted before first stop</th><th></th></tr>{rows}</table>"
        f"<h2>Clusters with a stopped advert across several accounts</h2>{_legend()}"
        + ("".join(sections) or "<p>None.</p>")
        + "</html>"
    )


def write_report(
    path: Path, market: Market, decisions: Sequence[Decision], store: Store, score: MarketScore
) -> Path:
    path.write_text(render_report(market, decisions, store, score), encoding="utf-8")
    return path
