"""The exception hierarchy. Catch `GuardError` to catch everything asw-guard raises on purpose."""

from __future__ import annotations

from dataclasses import dataclass


class GuardError(Exception):
    """Base class of every error asw-guard raises deliberately."""


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one field of an input, e.g. ``images[2].data: not an image``."""

    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}" if self.field else self.problem


class InvalidAdvert(GuardError, ValueError):
    """The advert could not be accepted; `problems` names each field and what is wrong with it.

    Nothing is stored when this is raised.
    """

    def __init__(self, problems: list[FieldProblem], advert_id: str | None = None) -> None:
        self.problems = problems
        self.advert_id = advert_id
        super().__init__("; ".join(str(p) for p in problems) or "invalid advert")


class ConfigError(GuardError):
    """Configuration is missing or inconsistent (a secret, a store URL, a policy path)."""


class PolicyError(ConfigError):
    """A policy file is invalid. The message names the file, the line and the key."""


class StoreError(GuardError):
    """The store could not be opened, migrated or written."""


class ImageError(GuardError, ValueError):
    """An image could not be decoded or exceeds the limits."""
