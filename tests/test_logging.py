"""Logs never carry phone numbers, emails, names or advert text, whatever the command."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest
import structlog
from hypothesis import given
from hypothesis import strategies as st

from asw_guard import Guard
from asw_guard.logs import configure_logging, get_logger, redact_personal_data

from .conftest import TEST_KEY
from .helpers import run_cli

PHONES = ["07700 900461", "+44 7700 900462", "01632 960463"]
EMAILS = ["rosalind.example@example.com", "quentin+ads@example.org"]
NAMES = ["Rosalind", "Quentin"]
BODY_MARKER = "marmalade-harbour-lantern"


def secrets_in(text: str) -> list[str]:
    digits = re.sub(r"\D", "", text)
    found = [p for p in PHONES if re.sub(r"\D", "", p)[-9:] in digits]
    found += [e for e in EMAILS if e in text]
    found += [n for n in NAMES if n in text]
    if BODY_MARKER in text:
        found.append(BODY_MARKER)
    return found


def adverts() -> list[dict[str, object]]:
    return [
        {
            "id": f"log-{i}",
            "account_id": f"acct-{i}",
            "alias": NAMES[i % 2],
            "title": f"{NAMES[i % 2]} {BODY_MARKER}",
            "body": f"I'm {NAMES[i % 2]}, {BODY_MARKER}. Call {PHONES[i % 3]} or mail "
            f"{EMAILS[i % 2]}. New in town, she is sweet.",
            "phones": [PHONES[(i + 1) % 3]],
            "emails": [EMAILS[(i + 1) % 2]],
        }
        for i in range(6)
    ]


def test_the_processor_masks_personal_data_in_any_field() -> None:
    event = {
        "event": f"saw {PHONES[0]} and {EMAILS[0]}",
        "body": BODY_MARKER,
        "alias": NAMES[0],
        "nested": {"phone": PHONES[1], "note": [f"x {EMAILS[1]}"]},
    }
    out = redact_personal_data(None, "info", dict(event))
    assert secrets_in(json.dumps(out)) == []


@pytest.mark.parametrize("renderer_json", [True, False])
def test_library_logs_at_debug_carry_no_personal_data(tmp_path: Path, renderer_json: bool) -> None:
    stream = io.StringIO()
    configure_logging(json=renderer_json, level=logging.DEBUG, stream=stream)
    try:
        with Guard.open(f"sqlite:///{tmp_path / 'g.db'}", hmac_key=TEST_KEY) as guard:
            for ad in adverts():
                guard.check(ad)
                guard.preview(ad)
            list(guard.check_many(adverts()))
            get_logger("test").warning("advert seen", body=BODY_MARKER, phones=PHONES)
        logged = stream.getvalue()
        assert "check.decided" in logged  # the capture really saw debug logs
        assert secrets_in(logged) == []
    finally:
        structlog.reset_defaults()


def test_every_command_keeps_personal_data_out_of_its_logs(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [json.dumps(ad) for ad in adverts()]
    lines.append(json.dumps({"id": "bad", "account_id": 3, "body": f"{PHONES[0]} {EMAILS[0]}"}))
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = [
        run_cli("check", src, "--store", "sqlite:///g.db", "--log-level", "debug", cwd=tmp_path),
        run_cli(
            "check",
            src,
            "--store",
            "sqlite:///g.db",
            "--log-level",
            "debug",
            "--log-pretty",
            cwd=tmp_path,
        ),
        run_cli("demo", "--out", "d", "--adverts", "300", "--log-level", "debug", cwd=tmp_path),
        run_cli("version", cwd=tmp_path),
        run_cli("keygen", cwd=tmp_path),
    ]
    assert runs[0].returncode == 1  # the one bad line
    assert "check.decided" in runs[0].stderr
    for run in runs:
        assert secrets_in(run.stderr) == [], run.args


@given(
    digits=st.text(alphabet="0123456789", min_size=9, max_size=9),
    sep=st.sampled_from(["", " ", "-", ".", "  "]),
    before=st.text(alphabet=" .,:;!?()\n", max_size=3),
)
def test_any_phone_shaped_number_is_redacted(digits: str, sep: str, before: str) -> None:
    number = f"07{digits[:3]}{sep}{digits[3:]}"
    out = redact_personal_data(None, "info", {"event": f"call{before} {number} now"})
    assert digits[3:] not in str(out)


def test_hashes_and_advert_ids_survive_redaction() -> None:
    event = {"event": "x", "policy_hash": "sha256:0b05f436ad50ecec264e4aa1234567890e",
             "advert_id": "ad-0001234"}  # fmt: skip
    assert redact_personal_data(None, "info", dict(event)) == event
