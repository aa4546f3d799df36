"""Loading a policy file, with errors that name the file, the line and the key."""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from asw_guard.errors import PolicyError
from asw_guard.indicators import load_specs
from asw_guard.policy.schema import (
    Bands,
    ClusterCondition,
    Condition,
    IdentifierCount,
    IndicatorSetting,
    Market,
    Messages,
    Policy,
    Retention,
    Rule,
)

READY_POLICIES = ("uk-default", "observe-only", "strict")


@dataclass(frozen=True, slots=True)
class LoadedPolicy:
    policy: Policy
    source: str
    #: Hash of the policy's content, recorded in every decision it makes.
    content_hash: str


def _line_of(
    node: yaml.Node | None, loc: Iterable[int | str]
) -> tuple[int | None, yaml.Node | None]:
    """The line of the deepest YAML node along a pydantic error location."""
    line = None if node is None else node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == part), None)
            key_node = next((k for k, _ in node.value if k.value == part), None)
            if nxt is None:
                break
            line = (key_node or nxt).start_mark.line + 1
            node = nxt
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line, node


_CHILD_MODEL: dict[str, type[BaseModel]] = {
    "market": Market,
    "bands": Bands,
    "rules": Rule,
    "when": Condition,
    "all": Condition,
    "any": Condition,
    "not": Condition,
    "retention": Retention,
    "messages": Messages,
    "cluster": ClusterCondition,
    "identifier_count": IdentifierCount,
}


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """Which schema model an error location points into, to suggest valid key names."""
    parents = [p for p in loc[:-1] if isinstance(p, str)]
    if not parents:
        return Policy
    if len(parents) >= 2 and parents[-2] == "indicators":
        return IndicatorSetting
    return _CHILD_MODEL.get(parents[-1])


def _suggest(loc: tuple[int | str, ...]) -> str:
    if not loc or not isinstance(loc[-1], str):
        return ""
    model = _model_at(loc)
    if model is None:
        return ""
    names = [f.alias or n for n, f in model.model_fields.items()]
    close = difflib.get_close_matches(loc[-1], names, n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


_TYPE_TAGS = {"str", "int", "float", "bool", "list", "dict", "none"}


def _is_tag(part: int | str) -> bool:
    """pydantic's names for the branches of a union (`str`, `list[str]`), not keys of the file."""
    return isinstance(part, str) and (
        part.startswith("function-") or "[" in part or part in _TYPE_TAGS
    )


def _format_errors(source: str, root: yaml.Node | None, exc: ValidationError) -> str:
    # A value that fits no branch of a union is one problem, not one per branch: merge them.
    merged: dict[tuple[int | str, ...], tuple[str, list[str]]] = {}
    for err in exc.errors(include_url=False):
        raw = tuple(err["loc"])
        keep_last = err["type"] == "extra_forbidden"
        loc = tuple(
            p for i, p in enumerate(raw) if not _is_tag(p) or (keep_last and i == len(raw) - 1)
        )
        msg = "unknown key" if keep_last else err["msg"].removeprefix("Value error, ")
        if err["type"] in ("enum", "literal_error") and isinstance(err.get("input"), str):
            options = [o.strip("' ") for o in re.split(r",| or ", err["ctx"]["expected"])]
            close = difflib.get_close_matches(err["input"], options, n=1, cutoff=0.5)
            msg += f" (did you mean {close[0]!r}?)" if close else ""
        kind, msgs = merged.setdefault(loc, (err["type"], []))
        if msg not in msgs:
            msgs.append(msg if not msgs else msg[:1].lower() + msg[1:])
    # A misspelt required key shows up twice (unknown key + missing key); the first line, with
    # its suggestion, says it all.
    suggested = {
        (*loc[:-1], hint.split("'")[1])
        for loc, (kind, _) in merged.items()
        if kind == "extra_forbidden" and "'" in (hint := _suggest(loc))
    }
    lines: list[tuple[int, str]] = []
    for loc, (kind, msgs) in merged.items():
        if kind == "missing" and loc in suggested:
            continue
        text = "missing key" if kind == "missing" else " or ".join(msgs)
        line, _ = _line_of(root, loc)
        key = ".".join(str(p) for p in loc) or "(top level)"
        hint = _suggest(loc) if kind == "extra_forbidden" else ""
        lines.append((line or 0, f"{source}:{line or '?'}: {key}: {text}{hint}"))
    # In file order, so the list reads top to bottom like the file.
    return "\n".join(text for _, text in sorted(lines, key=lambda pair: pair[0]))


def _duplicate_keys(source: str, node: yaml.Node | None) -> list[str]:
    """YAML quietly keeps the last of two equal keys; in a policy that hides a rule, so refuse."""
    found: list[str] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[object] = set()
        for key, value in node.value:
            if key.value in seen:
                line = key.start_mark.line + 1
                found.append(f"{source}:{line}: {key.value}: key given twice in one mapping")
            seen.add(key.value)
            found.extend(_duplicate_keys(source, value))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found.extend(_duplicate_keys(source, item))
    return found


#: Keys that, given beside a sensitive indicator in one condition, make it one signal among
#: several rather than the reason on its own.
_ANCHORS = (
    "band_at_least",
    "score_at_least",
    "categories_at_least",
    "indicators_at_least",
    "cluster",
    "identifier_count",
    "advertised_age_below",
)


def _alone(cond: Condition, sensitive: set[str]) -> list[str]:
    """Sensitive indicators this condition could act on alone (design: they never may)."""
    any_of = [cond.indicator] if isinstance(cond.indicator, str) else cond.indicator or []
    all_of = cond.indicators_all or []
    named = [i for i in [*any_of, *all_of] if i in sensitive]
    if not named:
        return []
    anchored = any(getattr(cond, key) is not None for key in _ANCHORS) or any(
        i not in sensitive for i in all_of
    )
    return [] if anchored else named


def _check_indicator_ids(policy: Policy, source: str, root: yaml.Node | None) -> None:
    specs = load_specs()
    known = set(specs)
    sensitive = {ind_id for ind_id, spec in specs.items() if spec.sensitive}
    problems = []

    def check(ind_id: str, loc: tuple[int | str, ...]) -> None:
        if ind_id not in known:
            close = difflib.get_close_matches(ind_id, sorted(known), n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            line, _ = _line_of(root, loc)
            where = ".".join(map(str, loc))
            problems.append(f"{source}:{line or '?'}: {where}: unknown indicator {ind_id!r}{hint}")

    for ind_id in policy.indicators:
        check(ind_id, ("indicators", ind_id))

    categories = {spec.category for spec in specs.values()}

    def check_category(name: str, loc: tuple[int | str, ...]) -> None:
        if name not in categories:
            close = difflib.get_close_matches(name, sorted(categories), n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            line, _ = _line_of(root, loc)
            where = ".".join(map(str, loc))
            problems.append(f"{source}:{line or '?'}: {where}: unknown category {name!r}{hint}")

    def walk(cond: Condition, loc: tuple[int | str, ...]) -> None:
        ids = [cond.indicator] if isinstance(cond.indicator, str) else cond.indicator or []
        for ind_id in ids:
            check(ind_id, (*loc, "indicator"))
        for ind_id in cond.indicators_all or []:
            check(ind_id, (*loc, "indicators_all"))
        cats = [cond.category] if isinstance(cond.category, str) else cond.category or []
        for cat in cats:
            check_category(cat, (*loc, "category"))
        for ind_id in _alone(cond, sensitive):
            line, _ = _line_of(root, loc)
            problems.append(
                f"{source}:{line or '?'}: {'.'.join(map(str, loc))}: sensitive indicator "
                f"{ind_id!r} may not act alone; require another signal in the same condition "
                f"(e.g. categories_at_least: 2 or band_at_least)"
            )
        for name in ("all", "any"):
            for i, sub in enumerate(getattr(cond, name) or []):
                walk(sub, (*loc, name, i))
        if cond.not_ is not None:
            walk(cond.not_, (*loc, "not"))

    for i, rule in enumerate(policy.rules):
        walk(rule.when, ("rules", i, "when"))
    if problems:
        raise PolicyError("\n".join(problems))


def content_hash(policy: Policy) -> str:
    canonical = json.dumps(policy.model_dump(mode="json", by_alias=True), sort_keys=True)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:32]


def parse_policy(text: str, source: str = "<policy>") -> LoadedPolicy:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        raise PolicyError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"{source}:1: a policy must be a mapping of keys to values")
    if duplicates := _duplicate_keys(source, root):
        raise PolicyError("\n".join(duplicates))
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(_format_errors(source, root, exc)) from None
    _check_indicator_ids(policy, source, root)
    return LoadedPolicy(policy=policy, source=source, content_hash=content_hash(policy))


def load_policy(name_or_path: str | Path) -> LoadedPolicy:
    """A ready policy by name (`uk-default`) or a YAML file by path."""
    text_name = str(name_or_path)
    if text_name in READY_POLICIES:
        entry = resources.files("asw_guard.policy").joinpath(f"ready/{text_name}.yaml")
        return parse_policy(entry.read_text("utf-8"), source=f"{text_name}.yaml")
    path = Path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read policy file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise PolicyError(f"{path}: policy file is not UTF-8 text") from None
    return parse_policy(text, source=str(path))
