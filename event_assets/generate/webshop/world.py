"""The ``webshop`` world: customers and products, and how they change during the period.

Customer and product ids are serial, in order of creation (as the shop's database gives them).
Most customers registered before the period; the rest sign up during it. Customers change their
email or name (a few are saved with nothing changed); products their price and discount, and
are restocked. Each is kept as a history (``history``): a creation row setting every field, then
changes setting one or two. Texts (names, emails) are indices into the world's text arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.webshop import plan as p
from event_assets.generate.webshop.history import UNSET
from event_assets.generate.webshop.plan import DAY_US, HOUR_US, MIN_PER_KIND, Plan

_FIRST = ("Anna", "Bram", "Chloe", "Daan", "Emma", "Finn", "Grace", "Hugo", "Iris", "Jonas",
          "Katja", "Lucas", "Maud", "Noah", "Olivia", "Pieter", "Quinn", "Rosa", "Sem", "Tess",
          "Umar", "Vera", "Wout", "Xena", "Yara", "Zoë", "José", "Léa")  # fmt: skip
_LAST = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos",
         "Peters", "Hendriks", "Dekker", "Brouwer", "Müller", "Garcia", "Nguyen", "Kaya",
         "Novak", "Rossi", "Silva", "Okafor", "Lindqvist")  # fmt: skip
_MAIL_DOMAINS = ("example.com", "mail.example.org", "post.example.net", "inbox.example.eu")
ADJECTIVES = ("Smart", "Compact", "Classic", "Wireless", "Organic", "Ergonomic", "Rugged",
              "Deluxe", "Eco", "Portable", "Vintage", "Premium", "Silent", "Modular")  # fmt: skip
NOUNS = ("Kettle", "Backpack", "Desk Lamp", "Headphones", "Water Bottle", "Sneakers", "Blender",
         "Notebook", "Yoga Mat", "Coffee Grinder", "Umbrella", "Jacket", "Speaker", "Toaster",
         "Plant Pot", "Board Game", "Cutting Board", "Sunglasses")  # fmt: skip
_BRANDS = ("Nordwind", "Alpaca", "Brightly", "Cobalt", "Dune", "Ember", "Fjord", "Granite")
# The discounts in force, in percent (the product rows' ``discount_percent``).
DISCOUNTS = (0.0, 5.0, 10.0, 12.5, 15.0, 20.0, 25.0, 30.0, 50.0)
_PRICE_FACTORS = (0.8, 0.85, 0.9, 0.95, 1.05, 1.1, 1.2)
_CUSTOMER_CHANGES = (("email", 0.6), ("name", 0.25), ("both", 0.15))
_PRODUCT_CHANGES = (("price", 0.45), ("discount", 0.4), ("restock", 0.15))


@dataclass
class Customers:
    created: np.ndarray  # per customer (row = id - 1), epoch us
    names: np.ndarray  # S: every name any customer has had
    emails: np.ndarray  # S
    phones: np.ndarray  # S, per customer
    # The history: a creation row per customer, then its changes.
    entity: np.ndarray
    time: np.ndarray
    name: np.ndarray  # index into names, or UNSET
    email: np.ndarray  # index into emails, or UNSET

    @property
    def n(self) -> int:
        return int(self.created.size)


@dataclass
class Products:
    created: np.ndarray
    names: np.ndarray  # S, per product
    descriptions: np.ndarray
    eans: np.ndarray
    brand: np.ndarray
    published: np.ndarray  # bool
    popularity: np.ndarray  # probability of being picked, 0 when not published
    entity: np.ndarray
    time: np.ndarray
    price: np.ndarray  # cents, or UNSET
    discount: np.ndarray  # index into DISCOUNTS, or UNSET
    inventory: np.ndarray  # or UNSET

    @property
    def n(self) -> int:
        return int(self.created.size)

    def change_prices(self, product: np.ndarray, time: np.ndarray, cents: np.ndarray) -> None:
        """Add price changes (the other fields unchanged)."""
        unset = np.full(product.size, UNSET, dtype=np.int64)
        self.entity = np.concatenate([self.entity, product])
        self.time = np.concatenate([self.time, time])
        self.price = np.concatenate([self.price, cents])
        self.discount = np.concatenate([self.discount, unset])
        self.inventory = np.concatenate([self.inventory, unset])


def _changes(rng: np.random.Generator, low: np.ndarray, end_us: int, per_entity: float):
    """Entity rows and moments of Poisson(``per_entity``) changes each, after ``low``."""
    entity = np.repeat(np.arange(low.size), rng.poisson(per_entity, low.size))
    return entity, kit.between(rng, low[entity], end_us, entity.size)


def draw_customers(rng: np.random.Generator, plan: Plan, period: kit.Run) -> Customers:
    start, end = period.start_ms * 1000, period.end_ms * 1000
    old = plan.customers - plan.new_customers
    before = kit.between(rng, start - p.REGISTERED_BEFORE_DAYS * DAY_US, start - HOUR_US, old)
    # Sign-ups leave a few hours before the end for their first session.
    signed_up = kit.between(rng, start, end - min(6 * HOUR_US, DAY_US // 4), plan.new_customers)
    created = np.sort(np.concatenate([before, signed_up]))
    n = created.size
    first = rng.integers(0, len(_FIRST), n)
    last = rng.integers(0, len(_LAST), n)
    entity, time = _changes(rng, np.maximum(created, start), end, p.CHANGES_PER_CUSTOMER)
    kind = kit.weighted(rng, _CUSTOMER_CHANGES, entity.size)
    renamed = kind >= 1
    new_last = rng.integers(0, len(_LAST), entity.size)
    names = np.array(
        [
            f"{_FIRST[f]} {_LAST[s]}".encode()
            for f, s in zip(
                np.r_[first, first[entity]].tolist(), np.r_[last, new_last].tolist(), strict=True
            )
        ]
    )
    mail_domain = rng.integers(0, len(_MAIL_DOMAINS), n + entity.size)
    number = rng.integers(1, 1000, n + entity.size)
    mail_name = np.r_[np.arange(n), entity]
    emails = np.array(
        [
            b"%s.%s%d@%s"
            % (_ascii(_FIRST[first[c]]), _ascii(_LAST[last[c]]), k, _MAIL_DOMAINS[d].encode())
            for c, k, d in zip(
                mail_name.tolist(), number.tolist(), mail_domain.tolist(), strict=True
            )
        ]
    )
    phones = np.strings.add(b"+31 6 ", rng.integers(10_000_000, 100_000_000, n).astype("S8"))
    changed = np.arange(entity.size)
    # Saved with nothing changed: a change that sets no field.
    touched = kit.pick(rng, created < end - DAY_US, p.TOUCHED_SHARE, MIN_PER_KIND)
    touched_at = kit.between(rng, np.maximum(created[touched], start), end, touched.size)
    unset = np.full(touched.size, UNSET)
    return Customers(
        created=created,
        names=names,
        emails=emails,
        phones=phones,
        entity=np.concatenate([np.arange(n), entity, touched]),
        time=np.concatenate([created, time, touched_at]),
        name=np.concatenate([np.arange(n), np.where(renamed, n + changed, UNSET), unset]),
        email=np.concatenate([np.arange(n), np.where(kind != 1, n + changed, UNSET), unset]),
    )


def _ascii(name: str) -> bytes:
    """A name as the local part of an email address."""
    plain = name.lower().replace(" ", "").replace("ë", "e").replace("é", "e").replace("ü", "u")
    return plain.encode("ascii")


def draw_products(rng: np.random.Generator, plan: Plan, period: kit.Run) -> Products:
    start, end = period.start_ms * 1000, period.end_ms * 1000
    n = plan.products
    created = np.sort(kit.between(rng, start - p.REGISTERED_BEFORE_DAYS * DAY_US, start, n))
    brand = rng.integers(0, len(_BRANDS), n)
    adjective = rng.integers(0, len(ADJECTIVES), n)
    noun = rng.integers(0, len(NOUNS), n)
    names = np.array(
        [
            f"{_BRANDS[b]} {ADJECTIVES[a]} {NOUNS[o]}".encode()
            for b, a, o in zip(brand.tolist(), adjective.tolist(), noun.tolist(), strict=True)
        ]
    )
    descriptions = np.array(
        [
            f"A {ADJECTIVES[a].lower()} {NOUNS[o].lower()} by {_BRANDS[b]}.".encode()
            for b, a, o in zip(brand.tolist(), adjective.tolist(), noun.tolist(), strict=True)
        ]
    )
    published = rng.random(n) >= p.UNPUBLISHED_SHARE
    weight = np.where(published, 1.0 / (rng.permutation(n) + 5.0) ** 0.9, 0.0)
    base = np.maximum(1, np.round(np.exp(rng.normal(3.3, 0.8, n)))).astype(np.int64) * 100 - 1
    initial_discount = np.where(rng.random(n) < 0.7, 0, rng.integers(1, len(DISCOUNTS), n))
    entity, time = _changes(rng, np.full(n, start), end, p.CHANGES_PER_PRODUCT)
    kind = kit.weighted(rng, _PRODUCT_CHANGES, entity.size)
    factor = np.array(_PRICE_FACTORS)[rng.integers(0, len(_PRICE_FACTORS), entity.size)]
    new_price = np.round(base[entity] * factor).astype(np.int64)
    new_discount = rng.integers(0, len(DISCOUNTS), entity.size)
    restock = rng.integers(50, 500, entity.size)
    return Products(
        created=created,
        names=names,
        descriptions=descriptions,
        eans=_eans(rng, n),
        brand=brand + 1,
        published=published,
        popularity=weight / weight.sum(),
        entity=np.concatenate([np.arange(n), entity]),
        time=np.concatenate([created, time]),
        price=np.concatenate([base, np.where(kind == 0, new_price, UNSET)]),
        discount=np.concatenate([initial_discount, np.where(kind == 1, new_discount, UNSET)]),
        inventory=np.concatenate([rng.integers(0, 500, n), np.where(kind == 2, restock, UNSET)]),
    )


def _eans(rng: np.random.Generator, n: int) -> np.ndarray:
    """EAN-13 codes (with their check digit) as ``S13``."""
    digits = rng.integers(0, 10, (n, 12))
    weights = np.tile([1, 3], 6)
    check = (10 - (digits * weights).sum(axis=1) % 10) % 10
    matrix = (48 + np.column_stack([digits, check])).astype(np.uint8)
    return kit.as_strings(np.ascontiguousarray(matrix))
