"""Words the synthetic market writes with. Invented phrasing, nothing copied from real adverts.

Independent advertisers draw each sentence from a large pool so two of them rarely share more
than a phrase; networks fill one template per network, the way the sources describe controllers
posting many adverts from one script.
"""

from __future__ import annotations

import random

# A word list reads better as one string than as 75 quoted items.
NAMES: tuple[str, ...] = tuple(
    (  # noqa: SIM905
        "Anna Bella Cleo Daria Elena Fiona Gina Hana Iris Jade Kira Lena Mia Nina Olga Paula "
        "Rita Sara Tina Uma Vera Wanda Xena Yana Zoe Alina Bianca Carla Diana Emma Flora Greta "
        "Helga Ilona Julia Kasia Laura Maja Nadia Oana Petra Roxana Sonia Tamara Ursula Viola "
        "Alexa Bonnie Chloe Daisy Ella Freya Holly Isla Jasmine Katie Lily Molly Poppy Ruby Skye "
        "Amber Brooke Crystal Destiny Eden Faith Harper Ivy Jolie Kayla Luna Misty Nova Opal"
    ).split()
)

CITIES = (
    "London",
    "Manchester",
    "Birmingham",
    "Leeds",
    "Glasgow",
    "Liverpool",
    "Bristol",
    "Newcastle",
    "Cardiff",
    "Nottingham",
)

# First-person sentence pools for independents: greeting, self, services, practicalities, sign-off.
_OPENERS = (
    "Hi, I'm {name}.",
    "Hello gentlemen, my name is {name}.",
    "Welcome to my page, {name} here.",
    "Hey there, I'm {name}, thanks for stopping by.",
    "Good evening, I am {name}.",
    "{name} here, an independent companion.",
    "Hiya! I'm {name} and I love meeting new people.",
    "Hi there, {name} speaking.",
)
_SELF = (
    "I am a friendly, chatty lady who enjoys good conversation.",
    "I'm a curvy brunette with a warm smile and a wicked sense of humour.",
    "I work for myself and take my time with every booking.",
    "I am a mature, discreet companion for the discerning gentleman.",
    "I'm a petite blonde who loves cocktails and long dinners.",
    "I studied art and still paint when I'm not working.",
    "I'm bubbly, relaxed and very easy to talk to.",
    "I have been doing this for a few years and I enjoy it.",
    "I'm tall, sporty and I run most mornings.",
    "I like to keep things classy, clean and respectful.",
    "I'm a part-time student with a passion for travel.",
    "My friends say I'm the most laid-back girl they know.",
)
_SERVICES = (
    "I offer companionship, massage and dinner dates.",
    "Dinner dates and overnight bookings are my favourite.",
    "I provide a relaxed girlfriend experience.",
    "I offer sensual massage and quality time.",
    "Happy to accompany you to social events.",
    "I enjoy longer bookings where we can get to know each other.",
    "I specialise in relaxing massage after a long week.",
)
_PRACTICAL = (
    "I see gentlemen at my private flat in {city}.",
    "Incall from my apartment near {city} centre, outcall to hotels.",
    "Outcall only to hotels in {city}.",
    "I'm based in {city} and available most weekday evenings.",
    "Please book at least an hour ahead; I don't rush.",
    "Safe sex only, always, no exceptions.",
    "Screening is required for first-time clients.",
    "I take a small deposit for outcalls.",
    "Available afternoons and evenings, not Sundays.",
    "Parking is available nearby and I'm very discreet.",
)
_TOUR = (
    "I'm touring {city} this week only, so book early.",
    "On tour in {city} from Monday to Thursday.",
    "Visiting {city} for a few days, come and say hello.",
)
_NEW = (
    "New in town and looking forward to meeting you.",
    "Just arrived in {city} for a short stay.",
)
_SIGNOFF = (
    "Text me to arrange a time: {phone}.",
    "Call or text {phone}, no withheld numbers.",
    "You can reach me on {phone}.",
    "Message me first please: {phone}.",
    "Bookings by text on {phone}.",
    "Send me a message on {phone} with the time you want.",
)
_POOR_ENGLISH = (
    "I am very nice girl, come see me you will like.",
    "Me new here, very good service for you.",
    "I am sweet and make you happy, call now.",
)


_HOBBIES = (
    "hiking",
    "yoga",
    "old films",
    "cooking",
    "salsa dancing",
    "crime novels",
    "board games",
    "gardening",
    "live music",
    "wild swimming",
    "photography",
    "baking",
    "cycling",
    "art galleries",
    "karaoke",
    "poetry",
    "tennis",
    "jazz",
    "fashion",
    "history podcasts",
)
_LIKES = (
    "In my free time I love {a} and {b}.",
    "Away from work you'll find me into {a}, or {b} at weekends.",
    "Ask me about {a}; I could talk about {b} for hours too.",
    "My guilty pleasures are {a} and {b}.",
    "I'm happiest doing {a} or {b}.",
)


def independent_body(
    rng: random.Random, name: str, city: str, phone: str, *, touring: bool, new: bool, poor: bool
) -> str:
    parts = [rng.choice(_OPENERS).format(name=name)]
    a, b = rng.sample(_HOBBIES, 2)
    parts.append(rng.choice(_LIKES).format(a=a, b=b))
    parts += rng.sample(_SELF, 2)
    if poor:
        parts.append(rng.choice(_POOR_ENGLISH))
    parts.append(rng.choice(_SERVICES))
    if touring:
        parts.append(rng.choice(_TOUR).format(city=city))
    elif new:
        parts.append(rng.choice(_NEW).format(city=city))
    parts += [p.format(city=city) for p in rng.sample(_PRACTICAL, 2)]
    parts.append(rng.choice(_SIGNOFF).format(phone=phone))
    return " ".join(parts)


_AGENCY_INTROS = (
    "{agency} is a licensed companion agency in {city}.",
    "Welcome to {agency}, {city}'s friendliest introductions service.",
    "{agency} has introduced discerning clients to companions in {city} for ten years.",
    "At {agency} in {city} every model sets her own hours and her own rates.",
    "{agency}: a small, independent-minded agency based in {city}.",
    "Looking for a companion in {city}? {agency} can help.",
    "{agency} works only with experienced, self-employed companions in {city}.",
    "Established in {city}, {agency} prides itself on honesty and discretion.",
)
_AGENCY_MEET = (
    "Meet {name}, one of our independent models, who chooses her own hours.",
    "This week we'd like you to meet {name}.",
    "{name} is one of the models who works with us.",
    "Say hello to {name}, who joined us recently.",
    "{name} is available through the agency on selected days.",
)
_AGENCY_CLOSE = (
    "All our models are over 21 and ID-checked. Book {name} through the agency on {phone}.",
    "Every model is verified in person. Call the office on {phone} to book {name}.",
    "We check every model's ID and right to work. Bookings for {name}: {phone}.",
    "Our models keep most of their fee and can stop at any time. Enquiries: {phone}.",
    "Office hours 10am to midnight. Call {phone} and ask for {name}.",
)


def agency_style(rng: random.Random) -> tuple[str, str, str, tuple[str, ...]]:
    """One agency's own way of writing, fixed for all its adverts."""
    return (
        rng.choice(_AGENCY_INTROS),
        rng.choice(_AGENCY_MEET),
        rng.choice(_AGENCY_CLOSE),
        tuple(rng.sample(_SELF + _SERVICES, 3)),
    )


def agency_body(
    rng: random.Random,
    style: tuple[str, str, str, tuple[str, ...]],
    agency: str,
    name: str,
    city: str,
    phone: str,
) -> str:
    intro, meet, close, own = style
    return " ".join(
        [
            intro.format(agency=agency, city=city),
            meet.format(name=name),
            rng.choice(_SELF),
            *own[:2],
            close.format(name=name, phone=phone),
        ]
    )


# Network templates: one per network, filled with slots. Crude ones are third person, poor
# English, 24/7 and cheap; organised ones read well; adaptive ones vary their wording.
CRUDE_TEMPLATES = (
    "New girl {name} {age} years just arrive in {city}!!! She very young and sweet, do "
    "everything you want, no rush. Open 24/7. Only £{price} half hour. Call {phone} now",
    "{name} {age}yo fresh girl in {city} this week, she is very nice and obedient, all "
    "service, without condom extra. 24 hours open. Cheap cheap £{price}. Tel {phone}",
)
ORGANISED_TEMPLATES = (
    "Meet {name}, a stunning {age}-year-old who has just arrived in {city}. She is attentive, "
    "discreet and available day and night. Our girls offer a full menu of services from "
    "£{price}. Call {phone} to book {name} today.",
    "{name} ({age}) is new to {city} and can't wait to meet you. She is open-minded, friendly "
    "and available around the clock at a private apartment. From £{price}. Bookings on {phone}.",
)
ADAPTIVE_OPENERS = (
    "Hello, my name is {name} and I'm visiting {city}.",
    "I'm {name}, {age}, in {city} for a little while.",
    "Lovely to see you here, I'm {name}.",
    "{name} here, warm and easy-going.",
)
ADAPTIVE_MIDDLES = (
    "I enjoy meeting kind, respectful gentlemen.",
    "I love good food, slow evenings and laughter.",
    "I'm available most days, just send a message.",
    "I'm a calm, caring person who listens.",
    "Every meeting is relaxed and unhurried with me.",
)


def network_body(
    rng: random.Random,
    template: str,
    *,
    name: str,
    age: int,
    city: str,
    phone: str,
    price: int,
) -> str:
    return template.format(name=name, age=age, city=city, phone=phone, price=price)


def adaptive_body(rng: random.Random, *, name: str, age: int, city: str, phone: str) -> str:
    parts = [rng.choice(ADAPTIVE_OPENERS).format(name=name, age=age, city=city)]
    parts += rng.sample(ADAPTIVE_MIDDLES, 2)
    parts.append(rng.choice(_SIGNOFF).format(phone=phone))
    return " ".join(parts)


#: Lines an advertiser adds when editing an advert.
EDIT_LINES = (
    "Updated: new photos this week.",
    "Now also available on Sunday afternoons.",
    "Prices updated for the new month.",
    "Back from holiday and taking bookings again.",
)
