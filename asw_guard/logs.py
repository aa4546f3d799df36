"""structlog configuration: JSON in production, pretty in a terminal, personal data redacted.

`configure_logging()` is called once by the CLI; a host application that configures structlog
itself should add `redact_personal_data` to its processor chain.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any, TextIO

import structlog

#: Keys whose values are advert content or personal data, whatever they look like.
SENSITIVE_KEYS = frozenset(
    {
        "body",
        "title",
        "text",
        "alias",
        "name",
        "phone",
        "phones",
        "email",
        "emails",
        "handle",
        "handles",
        "availability",
        "reviews",
        "address",
        "address_key",
        "advert",
        "raw",
    }
)

_EMAIL = re.compile(r"[\w.+-]{1,64}\s*(?:@|\[at\]|\(at\))\s*[\w-]{1,63}(?:\.[\w-]{1,63})+")
# Eight or more digits, possibly split by spaces, dots, dashes or brackets: phone-shaped. Not
# inside a longer run of letters and digits, so hashes and ids such as "ad-0001234" survive.
_PHONE = re.compile(r"(?<![0-9A-Za-z])\+?\d(?:[\s().\-]{0,3}\d){7,}(?![0-9A-Za-z])")
REDACTED = "[redacted]"


def _scrub(value: object) -> object:
    if isinstance(value, str):
        return _PHONE.sub(REDACTED, _EMAIL.sub(REDACTED, value))
    if isinstance(value, Mapping):
        return {k: REDACTED if k in SENSITIVE_KEYS else _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_scrub(v) for v in value]
    return value


def redact_personal_data(
    _logger: object, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Processor: drop advert text and personal fields, mask anything phone- or email-shaped."""
    for key in list(event_dict):
        if key in SENSITIVE_KEYS:
            event_dict[key] = REDACTED
        elif key != "timestamp":
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def configure_logging(
    *, json: bool | None = None, level: int = logging.INFO, stream: TextIO | None = None
) -> None:
    """Configure structlog once. JSON when not attached to a terminal unless told otherwise."""
    out = stream if stream is not None else sys.stderr
    as_json = not out.isatty() if json is None else json
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if as_json
        else structlog.dev.ConsoleRenderer(colors=out.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            # Last before rendering, so nothing added above escapes it (tracebacks included).
            redact_personal_data,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger
