"""Policy tests: YAML cases of adverts and the action a policy must take on them.

A case file is either one advert::

    description: A single weak indicator stays up.
    advert: {id: a1, account_id: acc1, body: "New in town! Call 07700 900123"}
    expect: allow

or a small market, checked in order against one fresh store, with the expected action of the
last advert (and optionally of each)::

    description: One number behind five people is held.
    adverts:
      - advert: {...}
        account: {...}        # optional Account
        expect: allow         # optional, for this step
      - advert: {...}
    expect: hold
    expect_rules: [one-contact-many-people]   # optional: these rules must have fired

Each case runs against a temporary SQLite store with a throwaway link-index key, so cases never
see each other or any real data.
"""

from __future__ import annotations

import json
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from asw_guard.errors import GuardError, PolicyError
from asw_guard.guard import Guard
from asw_guard.models import Account, Action, Advert
from asw_guard.policy.loader import LoadedPolicy


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    advert: dict[str, Any]
    account: dict[str, Any] | None = None
    expect: Action | None = None


class Case(_Strict):
    description: str = ""
    advert: dict[str, Any] | None = None
    account: dict[str, Any] | None = None
    adverts: list[Step] | None = None
    expect: Action
    expect_rules: list[str] = []

    @model_validator(mode="after")
    def _one_form(self) -> Case:
        if (self.advert is None) == (self.adverts is None):
            raise ValueError("give exactly one of `advert` or `adverts`")
        return self

    def steps(self) -> list[Step]:
        if self.advert is not None:
            return [Step(advert=self.advert, account=self.account, expect=self.expect)]
        steps = list(self.adverts or [])
        # The case's own `expect` is the last advert's, whatever the step says.
        steps[-1] = steps[-1].model_copy(update={"expect": self.expect})
        return steps


@dataclass
class CaseResult:
    name: str
    description: str
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def _json_default(value: object) -> object:
    # YAML reads unquoted timestamps as datetimes; the models take them as ISO text.
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _advert(data: dict[str, Any]) -> Advert:
    return Advert.model_validate_json(json.dumps(data, default=_json_default))


def _account(data: dict[str, Any]) -> Account:
    return Account.model_validate_json(json.dumps(data, default=_json_default))


def load_case(path: Path) -> Case:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Case.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise PolicyError(f"{path}: not a valid policy case: {exc}") from None


def case_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise PolicyError(f"{folder}: no such folder of policy cases")
    return sorted(p for p in folder.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def run_case(policy: LoadedPolicy, case: Case, name: str) -> CaseResult:
    result = CaseResult(name=name, description=case.description)
    steps = case.steps()
    with tempfile.TemporaryDirectory(prefix="asw-guard-case-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'case.db'}"
        with Guard.open(url, policy=policy, hmac_key=secrets.token_bytes(32)) as guard:
            for i, step in enumerate(steps, 1):
                try:
                    advert = _advert(step.advert)
                    account = _account(step.account) if step.account is not None else None
                    decision = guard.check(advert, account)
                except (GuardError, ValidationError) as exc:
                    result.failures.append(f"advert {i}: cannot be checked: {exc}")
                    return result
                if step.expect is not None and decision.action != step.expect:
                    fired = ", ".join(decision.rules_fired) or "no rule"
                    result.failures.append(
                        f"advert {i} ({advert.id}): expected {step.expect.value}, got "
                        f"{decision.action.value} (score {decision.score:.1f}, {fired})"
                    )
                if i == len(steps):
                    missing = [r for r in case.expect_rules if r not in decision.rules_fired]
                    if missing:
                        result.failures.append(
                            f"advert {i} ({advert.id}): rules did not fire: {', '.join(missing)}"
                        )
    return result


def run_cases(policy: LoadedPolicy, folder: Path) -> Iterator[CaseResult]:
    """Every case file under `folder`, in name order."""
    for path in case_files(folder):
        name = str(path.relative_to(folder))
        try:
            case = load_case(path)
        except PolicyError as exc:
            yield CaseResult(name=name, description="", failures=[str(exc)])
            continue
        yield run_case(policy, case, name)
