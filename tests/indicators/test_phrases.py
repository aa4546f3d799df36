"""Text detectors: each fires on a positive with spans on the right words, and stays silent on a
hard negative (a negation, a quoted site rule, a look-alike word)."""

from __future__ import annotations

import pytest

from asw_guard.indicators.phrases import available_languages, phrase_lists

from .helpers import context, detect, spans

POSITIVES = [
    ("third_person_language", "Hi there. She is a sweet lady, call today.", "She is"),
    ("third_person_language", "Meet OUR GIRLS in the city centre.", "OUR GIRLS"),
    ("new_in_town", "Just arrived in Leeds for a short stay.", "Just arrived"),
    ("multi_person_advert", "Two girls available tonight, ask for details.", "Two girls"),
    ("incall_only", "Clean flat near the station. Incall only.", "Incall only"),
    (
        "handler_reference",
        "Please book through my friend, she arranges it.",
        "book through my friend",
    ),
    ("long_hours", "Available 24/7 for you.", "24/7"),
    ("long_bookings", "Happy to take 7 day bookings.", "7 day bookings"),
    ("unprotected_services", "Bareback available for regulars.", "Bareback"),
    ("coded_price", "Half hour is 120 roses, call me.", "120 roses"),
    ("low_weight", "Very slim and petite.", "Very slim"),
    ("youth_language", "Sweet schoolgirl looking for fun.", "schoolgirl"),
    ("no_video_verification", "Sorry, no video calls before we meet.", "no video calls"),
    ("messaging_only_contact", "WhatsApp only, no withheld numbers.", "WhatsApp only"),
    ("client_ethnicity_restriction", "White gents only please.", "White gents only"),
    ("nationality_reference", "Lovely Romanian girl, new photos.", "Romanian girl"),
]

NEGATIVES = [
    ("third_person_language", "The shelf is full of books and I host in a quiet flat."),
    ("new_in_town", "Not visiting, I live here and have for years."),
    ("multi_person_advert", "No two girls at once, I work alone."),
    ("incall_only", "Incall and outcall both available."),
    ("handler_reference", "Independent and without my driver or manager."),
    ("long_hours", "Not 24/7: weekday afternoons only."),
    ("long_bookings", "No weekly bookings, sorry."),
    ("unprotected_services", "I never do bareback."),
    ("unprotected_services", "Always safe. No bareback, ever."),
    ("coded_price", "I love roses and chocolate."),
    ("low_weight", "Curvy and confident, size 14."),
    ("youth_language", "No teens, and nobody who looks it."),
    ("youth_language", "Site rules: all models are over 18 and teen roleplay is banned."),
    ("youth_language", "Eighteen years of experience in hospitality."),
    ("no_video_verification", "Happy to do a video call before we meet."),
    ("messaging_only_contact", "Call or WhatsApp, whatever suits you."),
    ("client_ethnicity_restriction", "All gents welcome, respect is all I ask."),
    ("nationality_reference", "I speak fluent English and French."),
]


@pytest.mark.parametrize(("indicator", "text", "words"), POSITIVES)
def test_fires_with_spans_on_the_right_words(indicator: str, text: str, words: str) -> None:
    ctx = context(text)
    hit = detect(indicator, ctx)
    assert hit is not None, indicator
    assert hit.indicator == indicator
    assert 0 < hit.strength <= 1
    assert words in spans(hit, ctx)
    assert hit.explanation


@pytest.mark.parametrize(("indicator", "text"), NEGATIVES)
def test_silent_on_a_hard_negative(indicator: str, text: str) -> None:
    assert detect(indicator, context(text)) is None


def test_spans_are_offsets_into_the_original_text_with_odd_case_and_characters() -> None:
    # A character that lower-cases to two must not shift the offsets of what follows it.
    text = "İstanbul born. NEW IN TOWN and She Is lovely."
    ctx = context(text)
    movement = detect("new_in_town", ctx)
    third = detect("third_person_language", ctx)
    assert movement is not None and spans(movement, ctx) == ["NEW IN TOWN"]
    assert third is not None and spans(third, ctx) == ["She Is"]


def test_title_is_read_too() -> None:
    ctx = context("Quiet flat.", title="New girl just arrived")
    hit = detect("new_in_town", ctx)
    assert hit is not None
    assert {e.field for e in hit.evidence} == {"title"}
    assert spans(hit, ctx) == ["New girl", "just arrived"]


def test_booster_raises_strength() -> None:
    plain = detect("youth_language", context("Sweet schoolgirl here."))
    boosted = detect("youth_language", context("Young and tiny schoolgirl here."))
    assert plain is not None and boosted is not None
    assert boosted.strength > plain.strength


def test_broad_services_counts_distinct_services() -> None:
    menu = "GFE, PSE, OWO, CIM, DFK, anal, rimming, watersports, BDSM, role play, no limits."
    hit = detect("broad_services", context(menu))
    assert hit is not None
    assert "11 distinct services" in hit.explanation
    assert spans(hit, context(menu))[:3] == ["GFE", "PSE", "OWO"]
    assert detect("broad_services", context("GFE and massage only.")) is None


def test_review_distress_reads_reviews_only() -> None:
    ctx = context(
        "Friendly and fun.", reviews=["Nice flat but she did not smile and a man waited outside."]
    )
    hit = detect("review_distress", ctx)
    assert hit is not None
    assert "did not smile" in spans(hit, ctx)
    assert all(e.field == "reviews[0]" for e in hit.evidence)
    assert detect("review_distress", context("She did not smile.")) is None
    assert detect("review_distress", context("x", reviews=["Lovely smile, great chat."])) is None


def test_emoji_codes() -> None:
    ctx = context("Sweet 🍒 girl, 200 🌹")
    hit = detect("emoji_codes", ctx)
    assert hit is not None
    assert spans(hit, ctx) == ["🍒", "🌹"]
    assert hit.strength == 1.0  # a youth code
    assert detect("emoji_codes", context("Lovely day ☀️ 😊")) is None


@pytest.mark.parametrize(
    ("language", "indicator", "text", "words"),
    [
        ("ro", "third_person_language", "Fetele noastre sunt aici.", "Fetele noastre"),
        ("ro", "new_in_town", "Nouă în oraș, sună-mă.", "Nouă în oraș"),
        ("ro", "unprotected_services", "Ofer și fără prezervativ.", "fără prezervativ"),
        ("ro", "youth_language", "Elevă drăguță.", "Elevă"),
        ("pl", "third_person_language", "Ona jest bardzo miła.", "Ona jest"),
        ("pl", "new_in_town", "Nowa w mieście!", "Nowa w mieście"),
        ("pl", "unprotected_services", "Seks bez gumki.", "bez gumki"),
        ("pl", "long_hours", "Dostępna całą dobę.", "całą dobę"),
    ],
)
def test_other_languages(language: str, indicator: str, text: str, words: str) -> None:
    ctx = context(text, languages=(language,))
    hit = detect(indicator, ctx)
    assert hit is not None
    assert words in spans(hit, ctx)
    # The lists are per language: English alone does not read them.
    assert detect(indicator, context(text)) is None


@pytest.mark.parametrize(
    ("language", "indicator", "text"),
    [
        ("ro", "unprotected_services", "Nu fac fără prezervativ."),
        ("ro", "youth_language", "Nu sunt elevă; toate fetele sunt peste 18."),
        ("pl", "unprotected_services", "Nigdy bez gumki."),
        ("pl", "youth_language", "Wszystkie dziewczyny są pełnoletnie, nie nastolatka."),
    ],
)
def test_other_languages_negations(language: str, indicator: str, text: str) -> None:
    assert detect(indicator, context(text, languages=(language,))) is None


def test_phrase_lists_are_lower_case_and_name_catalogue_indicators() -> None:
    from asw_guard.indicators import load_specs

    specs = load_specs()
    assert set(available_languages()) >= {"en", "ro", "pl"}
    for language in available_languages():
        lists = phrase_lists(language)
        assert set(lists) <= set(specs), language
        for ind_id, plist in lists.items():
            # Matching runs on lower-cased text, so an upper-case letter could never match.
            pattern = plist.pattern.pattern
            letters = [
                c for i, c in enumerate(pattern) if c.isupper() and pattern[i - 1 : i] != "\\"
            ]
            assert not letters, (language, ind_id, letters)


def test_single_pass_finds_every_start_the_separate_lists_find() -> None:
    # The combined, factored alternation is an optimisation: it must not lose a match.
    from asw_guard.indicators.phrases import fold, phrase_bank

    texts = [t for _, t, _ in POSITIVES] + [t for _, t in NEGATIVES]
    texts.append(
        "Call her now. Two girls, duo available. Book via my agent. 7 days a week. 300 roses, "
        "42kg, 7st. Don't do video calls. Text only. Local gents only. Higher rates for "
        "tourists. Thai lady, little English, speaks Polish. Whole week stay, 2 weeks package."
    )
    for language in available_languages():
        bank = phrase_bank(language)
        assert bank.combined is not None
        for text in texts:
            low = fold(text)
            separate = {
                m.start()
                for ind_id in bank.scanned
                for m in bank.lists[ind_id].pattern.finditer(low)
            }
            combined = set()
            pos = 0
            while (m := bank.combined.search(low, pos)) is not None:
                combined.add(m.start())
                pos = m.start() + 1
            assert separate <= combined, (language, text)


def test_regional_language_tags_read_the_language_lists() -> None:
    ctx = context("Nowa w mieście!", languages=("pl-PL",))
    assert detect("new_in_town", ctx) is not None


def test_dampener_lowers_without_silencing() -> None:
    plain = detect("youth_language", context("Schoolgirl for you."))
    costume = detect("youth_language", context("Schoolgirl role play for you."))
    assert plain is not None and costume is not None
    assert costume.strength < plain.strength
    assert costume.evidence[0].note == "lowered by nearby wording"


def test_regular_touring_lowers_movement_language() -> None:
    plain = detect("new_in_town", context("Visiting Leeds this week."))
    regular = detect("new_in_town", context("Visiting Leeds this week, as I do every month."))
    assert plain is not None and regular is not None
    assert regular.strength < plain.strength
