"""Loading a policy file, with errors that name the file, the line and the key."""

from __future__ import annotations

import difflib
import hashlib
import json
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
    Condition,
    IndicatorSetting,
    Market,
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


def _format_errors(source: str, root: yaml.Node | None, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        line, _ = _line_of(root, loc)
        key = ".".join(str(p) for p in loc) or "(top level)"
        hint = _suggest(loc) if err["type"] == "extra_forbidden" else ""
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        lines.append(f"{source}:{line or '?'}: {key}: {msg}{hint}")
    return "\n".join(lines)


def _check_indicator_ids(policy: Policy, source: str, root: yaml.Node | None) -> None:
    known = set(load_specs())
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

    def walk(cond: Condition, loc: tuple[int | str, ...]) -> None:
        ids = [cond.indicator] if isinstance(cond.indicator, str) else cond.indicator or []
        for ind_id in ids:
            check(ind_id, (*loc, "indicator"))
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
