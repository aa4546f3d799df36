"""A seeded synthetic marketplace with ground truth, for the demo and the benchmarks.

No labelled public data of UK adverts exists, so quality is shown on a market simulated from the
two source documents (see `benchmarks/README.md` for the source behind each behaviour):

* independent advertisers, the large majority: one account, one number, their own words; some
  tour between cities, some say "new in town", some write poor English, some are cheap;
* consensual agencies that openly share one number across several workers on one account;
* exploitation networks of graded sophistication:
  - ``crude``: one or two numbers (some foreign) behind many accounts and names, a third-person
    template, 24/7, low prices, young and inconsistent ages;
  - ``organised``: sequential numbers, a well-written template, one address with a new person
    every week, re-used photos;
  - ``adaptive``: good English, a fresh number and fresh wording for every advert, but shared
    payment tokens, devices and photos.

Phone numbers are random, not real people's: they are drawn uniformly, so any collision with a
real line is chance, and nothing here is copied from real adverts.
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from PIL import Image
from pydantic import BaseModel, ConfigDict

from asw_guard.synth import photos, text

Kind = Literal["independent", "touring", "agency", "network"]
Sophistication = Literal["crude", "organised", "adaptive"]

START = datetime(2026, 6, 1, tzinfo=UTC)
DAYS = 90


class AdvertTruth(BaseModel):
    """What an advert really is: the label the benchmarks score against."""

    model_config = ConfigDict(frozen=True)

    advert_id: str
    account_id: str
    kind: Kind
    network_id: str | None = None
    sophistication: Sophistication | None = None


class NetworkTruth(BaseModel):
    model_config = ConfigDict(frozen=True)

    network_id: str
    sophistication: Sophistication
    account_ids: list[str]
    advert_ids: list[str]
    people: int


@dataclass
class Market:
    """Adverts (as the JSON an operator would send) with their truth beside them."""

    adverts: list[dict[str, Any]]
    truth: dict[str, AdvertTruth]
    networks: list[NetworkTruth]
    seed: int = 0

    def write(self, folder: str | Path) -> Path:
        """Write `adverts.jsonl` and `truth.json` into `folder`; returns the adverts file."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        adverts = out / "adverts.jsonl"
        with adverts.open("w", encoding="utf-8") as fh:
            for ad in self.adverts:
                fh.write(json.dumps(ad, ensure_ascii=False) + "\n")
        truth = {
            "seed": self.seed,
            "adverts": [t.model_dump() for t in self.truth.values()],
            "networks": [n.model_dump() for n in self.networks],
        }
        (out / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
        return adverts

    @classmethod
    def read(cls, folder: str | Path) -> Market:
        src = Path(folder)
        with (src / "adverts.jsonl").open(encoding="utf-8") as fh:
            adverts = [json.loads(line) for line in fh if line.strip()]
        raw = json.loads((src / "truth.json").read_text(encoding="utf-8"))
        truth = {t["advert_id"]: AdvertTruth.model_validate(t) for t in raw["adverts"]}
        networks = [NetworkTruth.model_validate(n) for n in raw["networks"]]
        return cls(adverts, truth, networks, raw.get("seed", 0))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.truth.values():
            out[t.kind] = out.get(t.kind, 0) + 1
        return out


@dataclass
class _Builder:
    rng: random.Random
    adverts: list[dict[str, Any]] = field(default_factory=list)
    truth: dict[str, AdvertTruth] = field(default_factory=dict)
    serial: int = 0
    #: Real photographs to draw network photos from; None gives pre-computed hashes only.
    photographs: list[Image.Image] | None = None
    next_photo: int = 0

    def next_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial:07d}"

    def when(self, day: float | None = None) -> datetime:
        d = self.rng.uniform(0, DAYS) if day is None else day
        return START + timedelta(days=d)

    def uk_mobile(self) -> int:
        return self.rng.randint(7_400_000_000, 7_999_999_999)

    def phash(self) -> str:
        return f"{self.rng.getrandbits(64):016x}"

    def own_images(self, n: int) -> list[dict[str, str]]:
        """An advertiser's own photos: drawn images as bytes, or random hashes."""
        if self.photographs is None:
            return [{"phash": self.phash()} for _ in range(n)]
        return [{"data": _b64(photos.drawn_photo(self.rng))} for _ in range(n)]

    def network_pool(self, n: int) -> list[str]:
        """A network's stock of photos, as hashes or as indexes into the photographs."""
        if self.photographs is None:
            return [self.phash() for _ in range(n)]
        # Each network its own photographs while they last: networks do not share photos.
        start = self.next_photo
        self.next_photo += n
        return [str((start + i) % len(self.photographs)) for i in range(n)]

    def reposted(self, photo: str) -> dict[str, str]:
        if self.photographs is None:
            return {"phash": self.near(photo, self.rng.randint(0, 3))}
        image = self.photographs[int(photo)]
        return {"data": _b64(photos.reposted(image, self.rng))}

    def near(self, phash: str, bits: int) -> str:
        """The same photo re-posted with a small change (a crop, a new watermark)."""
        value = int(phash, 16)
        for pos in self.rng.sample(range(64), bits):
            value ^= 1 << pos
        return f"{value:016x}"

    def add(self, ad: dict[str, Any], truth: AdvertTruth) -> None:
        self.adverts.append(ad)
        self.truth[ad["id"]] = truth


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def written(rng: random.Random, national: int, *, country: str = "44") -> str:
    """A number as advertisers write it: national, international, spaced or run together."""
    digits = str(national)
    if country != "44":
        return f"+{country} {digits[:3]} {digits[3:6]} {digits[6:]}"
    local = "0" + digits
    style = rng.randrange(5)
    if style == 0:
        return f"{local[:5]} {local[5:]}"
    if style == 1:
        return f"+44 {digits[:4]} {digits[4:]}"
    if style == 2:
        return local
    if style == 3:
        return f"{local[:5]} {local[5:8]} {local[8:]}"
    return f"+44{digits}"


def _price(rng: random.Random, cheap: bool) -> list[dict[str, Any]]:
    hour = rng.randint(40, 70) if cheap else rng.randint(100, 250)
    return [{"amount": float(hour), "currency": "GBP", "minutes": 60}]


def _independents(b: _Builder, n_adverts: int) -> None:
    rng = b.rng
    made = 0
    while made < n_adverts:
        account = b.next_id("acc-")
        name = rng.choice(text.NAMES)
        age = rng.randint(21, 45)
        national = b.uk_mobile()
        touring = rng.random() < 0.15
        new = not touring and rng.random() < 0.15
        poor = rng.random() < 0.1
        cheap = rng.random() < 0.08
        incall_only = rng.random() < 0.2
        own = b.own_images(rng.randint(1, 3))
        home = rng.choice(text.CITIES)
        n = min(rng.choice((1, 1, 1, 2, 2, 3, 4)), n_adverts - made)
        for i in range(n):
            city = rng.choice(text.CITIES) if touring and i > 0 else home
            phone = written(rng, national)
            ad_id = b.next_id("ad-")
            b.add(
                {
                    "id": ad_id,
                    "account_id": account,
                    "alias": name,
                    "advertised_age": age,
                    "body": text.independent_body(
                        rng, name, city, phone, touring=touring, new=new, poor=poor
                    ),
                    "location": {"city": city, "country": "GB"},
                    "prices": _price(rng, cheap),
                    "incall": True,
                    "outcall": not incall_only,
                    "images": own,
                    "verified": rng.random() < 0.4,
                    "payment_method": rng.choice(("card", "card", "paypal")),
                    "payment_token": f"pay-{b.rng.getrandbits(48):012x}",
                    "device_token": f"dev-{b.rng.getrandbits(48):012x}",
                    "posted_at": b.when().isoformat(),
                },
                AdvertTruth(
                    advert_id=ad_id,
                    account_id=account,
                    kind="touring" if touring else "independent",
                ),
            )
            made += 1


def _agencies(b: _Builder, n_adverts: int) -> None:
    rng = b.rng
    made = 0
    serial = 0
    while made < n_adverts:
        serial += 1
        agency = (
            f"{rng.choice(('Velvet', 'Elite', 'Silk', 'Diamond', 'Secret', 'Aurora', 'Ivory'))} "
            f"{rng.choice(('Companions', 'Introductions', 'Models', 'Agency'))}"
        )
        style = text.agency_style(rng)
        account = b.next_id("agency-")
        city = rng.choice(text.CITIES)
        national = b.uk_mobile()
        payment = f"pay-{rng.getrandbits(48):012x}"
        for _ in range(rng.randint(3, 6)):
            if made >= n_adverts:
                break
            name = rng.choice(text.NAMES)
            age = rng.randint(21, 35)
            phone = written(rng, national)
            ad_id = b.next_id("ad-")
            b.add(
                {
                    "id": ad_id,
                    "account_id": account,
                    "alias": name,
                    "advertised_age": age,
                    "body": text.agency_body(rng, style, agency, name, city, phone),
                    "location": {"city": city, "country": "GB"},
                    "prices": _price(rng, False),
                    "incall": True,
                    "outcall": True,
                    "images": b.own_images(1),
                    "verified": True,
                    "payment_method": "card",
                    "payment_token": payment,
                    "posted_at": b.when().isoformat(),
                },
                AdvertTruth(advert_id=ad_id, account_id=account, kind="agency"),
            )
            made += 1


def _network(b: _Builder, net_id: str, level: Sophistication, n_adverts: int) -> NetworkTruth:
    rng = b.rng
    n_accounts = max(2, n_adverts // rng.randint(3, 6))
    accounts = [b.next_id("acc-") for _ in range(n_accounts)]
    people = max(3, n_adverts // 2)
    names = [rng.choice(text.NAMES) for _ in range(people)]
    pool = b.network_pool(max(3, people // 2))
    start = rng.uniform(0, DAYS / 3)
    city_path = rng.sample(text.CITIES, 4)
    base_number = b.uk_mobile()
    shared = [base_number] + ([b.uk_mobile()] if rng.random() < 0.5 else [])
    foreign = f"7{rng.randint(20_000_000, 99_999_999)}"
    template = rng.choice(text.CRUDE_TEMPLATES if level == "crude" else text.ORGANISED_TEMPLATES)
    payment = f"pay-{rng.getrandbits(48):012x}"
    device = f"dev-{rng.getrandbits(48):012x}"
    address = f"addr-{rng.getrandbits(32):08x}"
    ids: list[str] = []
    for i in range(n_adverts):
        day = min(DAYS - 0.01, start + i * (DAYS - start) / n_adverts)
        week = int((day - start) // 7)
        # Organised networks rotate one new person through the address each week.
        person = week % people if level == "organised" else rng.randrange(people)
        name = names[person]
        age = rng.randint(18, 22)  # the same name is given different ages across adverts
        city = city_path[week % len(city_path)]
        account = accounts[i % n_accounts]
        if level == "crude":
            phone = (
                f"+40 {foreign[:3]} {foreign[3:6]} {foreign[6:]}"
                if rng.random() < 0.3
                else written(rng, rng.choice(shared))
            )
        elif level == "organised":
            phone = written(rng, base_number + (i % n_accounts))
        else:
            phone = written(rng, b.uk_mobile())
        if level == "adaptive":
            body = text.adaptive_body(rng, name=name, age=age, city=city, phone=phone)
        else:
            body = text.network_body(
                rng,
                template,
                name=name,
                age=age,
                city=city,
                phone=phone,
                price=rng.randint(30, 60),
            )
        ad: dict[str, Any] = {
            "id": b.next_id("ad-"),
            "account_id": account,
            "alias": name,
            "advertised_age": age,
            "body": body,
            "location": {"city": city, "country": "GB"},
            "prices": _price(rng, level != "adaptive"),
            "incall": True,
            "outcall": level != "organised",
            "images": [b.reposted(rng.choice(pool))],
            "verified": False,
            "payment_method": "voucher" if level == "crude" else "card",
            "posted_at": b.when(day).isoformat(),
        }
        if level != "crude":
            ad["availability"] = "24/7" if level == "organised" else None
        else:
            ad["availability"] = "24/7"
        if level == "organised":
            ad["location"]["address_key"] = address
        if level == "adaptive":
            ad["payment_token"] = payment
            ad["device_token"] = device
        b.add(
            {k: v for k, v in ad.items() if v is not None},
            AdvertTruth(
                advert_id=ad["id"],
                account_id=account,
                kind="network",
                network_id=net_id,
                sophistication=level,
            ),
        )
        ids.append(ad["id"])
    return NetworkTruth(
        network_id=net_id,
        sophistication=level,
        account_ids=accounts,
        advert_ids=ids,
        people=people,
    )


def generate_market(
    n_adverts: int = 5_000,
    *,
    seed: int = 0,
    network_share: float = 0.06,
    agency_share: float = 0.05,
    edit_share: float = 0.03,
    real_photos: bool = False,
) -> Market:
    """A market of `n_adverts` adverts in posting order, plus later edits of some of them
    (`edit_share`, same id, version 2), with its truth. Same seed, same market.

    With `real_photos`, images are JPEG bytes: networks re-post real photographs (from
    scikit-image) cropped, resized, recompressed, brightened or watermarked; independents get
    drawn pictures of their own. Otherwise images are pre-computed perceptual hashes.
    """
    if n_adverts < 100:
        raise ValueError("a market needs at least 100 adverts to hold three networks")
    b = _Builder(random.Random(seed))
    if real_photos:
        b.photographs = [im for _, im in photos.real_photos()]
    n_net = max(30, int(n_adverts * network_share))
    n_agency = int(n_adverts * agency_share)
    _independents(b, n_adverts - n_net - n_agency)
    _agencies(b, n_agency)
    levels: list[Sophistication] = ["crude", "organised", "adaptive"]
    n_networks = max(3, n_net // 40)
    networks: list[NetworkTruth] = []
    for i in range(n_networks):
        size = n_net // n_networks + (1 if i < n_net % n_networks else 0)
        networks.append(_network(b, f"net-{i + 1:03d}", levels[i % 3], size))
    _edits(b, edit_share)
    b.adverts.sort(key=lambda ad: ad["posted_at"])
    return Market(b.adverts, b.truth, networks, seed)


def _edits(b: _Builder, share: float) -> None:
    """Some adverts are edited later: a new price, a line added. Same id, next version."""
    rng = b.rng
    for ad in rng.sample(b.adverts, int(len(b.adverts) * share)):
        posted = datetime.fromisoformat(ad["posted_at"]) + timedelta(days=rng.uniform(0.5, 10))
        edited = {
            **ad,
            "version": 2,
            "body": ad["body"] + " " + rng.choice(text.EDIT_LINES),
            "posted_at": min(posted, START + timedelta(days=DAYS)).isoformat(),
        }
        if ad.get("prices"):
            price = dict(ad["prices"][0])
            price["amount"] = round(price["amount"] * rng.uniform(0.9, 1.15))
            edited["prices"] = [price]
        b.adverts.append(edited)
