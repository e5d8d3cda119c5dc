"""The ``engagement`` users: who registers when, who takes a trial and who subscribes.

Users register over the period (some before it), some start a trial a few minutes after
registering, most trials turn into a 30-day subscription at their very end. A user has a child or
a few, and plays more or less; some users events name have no record at all (the last rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.engagement.plan import MIN_PER_KIND, Plan
from event_assets.generate.kit import DAY_MS, MINUTE_MS

PRE_PERIOD_SHARE = 0.15
PRE_PERIOD_DAYS = 60
TRIAL_SHARE = 0.30
TRIAL_DELAY_MINUTES = (5, 25)  # whole minutes, 5 to 24 as in the real sample
TRIAL_DAYS = 7
CONVERT_SHARE = 0.60
SUBSCRIPTION_DAYS = 30
CHILDREN_P = (0.88, 0.08, 0.03, 0.01)
ACTIVITY_SIGMA = 1.3

COUNTRIES = (
    ("us", 14), ("in", 14), ("tr", 12), ("co", 11), ("ph", 11), ("my", 10), ("th", 8), ("sa", 7),
    ("mx", 7), ("br", 6), ("es", 3), ("gb", 3), ("id", 3), ("vn", 2), ("ar", 2), ("cl", 2),
    ("pe", 1), ("eg", 1), ("fr", 1), ("de", 1),
)  # fmt: skip


@dataclass
class Users:
    """Users with a record (rows ``< n``) and users without one (the last ``ghosts`` rows)."""

    n: int
    ghosts: int
    ids: np.ndarray  # S36
    country: np.ndarray
    registered: np.ndarray  # epoch ms
    has_trial: np.ndarray
    trial_start: np.ndarray
    converted: np.ndarray
    children: np.ndarray  # number of children
    first_child: np.ndarray  # row of the first child in ``child_ids``
    child_ids: np.ndarray  # S36: the users' children, then stray children of no user
    weight: np.ndarray  # how much the user plays, per day
    devices: np.ndarray | None = None
    first_device: np.ndarray | None = None

    @property
    def trial_end(self) -> np.ndarray:
        return self.trial_start + TRIAL_DAYS * DAY_MS

    @property
    def subscription_start(self) -> np.ndarray:
        return self.trial_end  # a trial turns into a subscription at its very end

    @property
    def subscription_expire(self) -> np.ndarray:
        return self.subscription_start + SUBSCRIPTION_DAYS * DAY_MS

    def in_period(self, times: np.ndarray, period: kit.Run) -> np.ndarray:
        recorded = np.arange(self.registered.size) < self.n
        return recorded & (times >= period.start_ms) & (times < period.end_ms)


def draw_users(rng: np.random.Generator, plan: Plan, period: kit.Run) -> Users:
    n, total = plan.users, plan.users + plan.ghosts
    pre = rng.random(total) < PRE_PERIOD_SHARE
    registered = np.where(
        pre,
        kit.between(rng, period.start_ms - PRE_PERIOD_DAYS * DAY_MS, period.start_ms, total),
        kit.between(rng, period.start_ms, period.end_ms, total),
    )
    has_trial = rng.random(total) < TRIAL_SHARE
    delay = rng.integers(*TRIAL_DELAY_MINUTES, total) * MINUTE_MS
    converted = has_trial & (rng.random(total) < CONVERT_SHARE)
    users = Users(
        n=n,
        ghosts=plan.ghosts,
        ids=kit.uuid_strings(rng, total),
        country=kit.weighted(rng, COUNTRIES, total),
        registered=registered,
        has_trial=has_trial,
        trial_start=registered + delay,
        converted=converted,
        children=1 + kit.weighted(rng, list(zip(range(4), CHILDREN_P, strict=True)), total),
        first_child=np.zeros(total, dtype=np.int64),
        child_ids=np.empty(0, dtype="S36"),
        weight=rng.lognormal(0.0, ACTIVITY_SIGMA, total),
    )
    _ensure_histories(rng, users, period, delay)
    if np.count_nonzero(users.children[:n] > 1) < MIN_PER_KIND:
        users.children[kit.some(rng, users.children[:n] == 1, MIN_PER_KIND)] = 2
    users.first_child = np.cumsum(users.children) - users.children
    strays = plan.per_kind
    users.child_ids = kit.uuid_strings(rng, int(users.children.sum()) + strays)
    # Users without a record are nobody's account: no trial, no subscription.
    users.has_trial[n:] = False
    users.converted[n:] = False
    return users


def _ensure_histories(
    rng: np.random.Generator, users: Users, period: kit.Run, delay: np.ndarray
) -> None:
    """At least ``MIN_PER_KIND`` users whose trial becomes a subscription, whose trial ends
    without one, and whose subscription expires, within the period (re-drawing some users)."""
    taken = np.zeros(users.registered.size, dtype=bool)
    taken[users.n :] = True
    to_end = delay + TRIAL_DAYS * DAY_MS
    goals = (
        (True, to_end, lambda u: u.subscription_start),
        (False, to_end, lambda u: u.trial_end),
        (True, to_end + SUBSCRIPTION_DAYS * DAY_MS, lambda u: u.subscription_expire),
    )
    for converted, offset, moment in goals:
        chosen = users.has_trial & (users.converted == converted)
        have = chosen & users.in_period(moment(users), period)
        taken |= have
        short = MIN_PER_KIND - int(have.sum())
        if short <= 0:
            continue
        rows = kit.some(rng, ~taken, short)
        at = kit.between(rng, period.start_ms, period.end_ms, rows.size)
        users.registered[rows] = at - offset[rows]
        users.trial_start[rows] = users.registered[rows] + delay[rows]
        users.has_trial[rows] = True
        users.converted[rows] = converted
        taken[rows] = True


def active_from(users: Users, period: kit.Run) -> np.ndarray:
    return np.maximum(users.registered, period.start_ms)
