"""The ``engagement`` devices: a few per user, with hardware, OS and app version as reported.

Apple devices report ``iOS`` (a few ``iPhone OS``), the rest Android; some devices upgrade to
the newest app version during the period. An event's ``context`` JSON is that of its device
before or after the upgrade.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.engagement.users import Users
from event_assets.generate.kit import DAY_MS

DEVICES_P = (0.85, 0.13, 0.02)
APPLE_SHARE = 0.63
IPHONE_OS_SHARE = 0.01
UPGRADE_SHARE = 0.35
UPGRADE_FROM = 0.4  # share of the period after which upgrades to the newest version happen

_CONTEXT_TEMPLATE = (
    b'{"device": {"device_id": "%s", "brand": "%s", "model": "%s"}, '
    b'"os": {"name": "%s", "version": "%s"}, "app": {"version": "%s", "build": "%s"}}'
)
_APPLE_MODELS = ("iPad7,5", "iPad7,6", "iPad7,11", "iPad7,12", "iPad6,11", "iPad6,12",
                 "iPad11,6", "iPad11,7", "iPad5,3", "iPad8,1", "iPhone12,1", "iPhone11,8",
                 "iPhone10,4", "iPhone9,3", "iPhone13,2")  # fmt: skip
_ANDROID_MODELS = (
    ("samsung", "SM-T510"), ("samsung", "SM-T290"), ("samsung", "SM-T295"),
    ("samsung", "SM-A105M"), ("samsung", "SM-J260M"), ("Xiaomi", "Redmi Note 8"),
    ("Xiaomi", "Redmi 9"), ("HUAWEI", "AGS2-W09"), ("HUAWEI", "BG2-W09"),
    ("motorola", "moto g(7) play"), ("motorola", "moto e(6) plus"), ("Lenovo", "TB-X505F"),
    ("Amazon", "KFMAWI"), ("google", "Pixel 3a"), ("LGE", "LM-X420"),
)  # fmt: skip
_IOS_VERSIONS = (("14.3", 27), ("14.2", 26), ("13.7", 11), ("14.0.1", 7), ("13.4.1", 7),
                 ("13.5.1", 5), ("13.3", 4), ("13.6", 3), ("12.4.9", 2.5), ("14.2.1", 2),
                 ("13.6.1", 1), ("13.1.3", 1), ("12.4", 0.6), ("14.4", 0.5), ("12.5.1", 0.3),
                 ("10.3.4", 0.2))  # fmt: skip
_IPHONE_OS_VERSIONS = (("9.3.5", 4), ("10.3.3", 2), ("12.4.8", 2), ("13.7", 1), ("14.3", 1))
_ANDROID_VERSIONS = (("10", 45), ("9", 19), ("8.0.0", 6), ("8.1.0", 4), ("7.0", 3),
                     ("11", 3), ("6.0.1", 1.5), ("7.1.1", 1), ("7.1.2", 0.5), ("5.1.1", 0.4),
                     ("9.0", 0.2))  # fmt: skip
# (version, iOS build, Android build, weight on iOS, weight on Android); the last is the newest.
_APP_VERSIONS = (
    ("7.24.0", "4011", "72400", 0.0, 0.3),
    ("7.31.1", "4250", "73101", 0.4, 0.0),
    ("7.32.1", "4263", "73201", 0.0, 0.6),
    ("7.39.0", "4401", "73900", 35, 31),
    ("7.40.0", "4430", "74000", 47, 58),
    ("7.41.0", "4457", "74100", 17, 4),
    ("7.41.1", "4457", "74101", 0.0, 5),
)
_NEWEST_APP = {"apple": 5, "android": 6}


@dataclass
class Devices:
    """Devices (a few per user) with their hardware, OS and app version; the context JSON per
    device is written once ``iphone_os`` is known."""

    ids: np.ndarray  # S36
    apple: np.ndarray
    model: np.ndarray  # row of _APPLE_MODELS or _ANDROID_MODELS
    os_version: np.ndarray  # row of _IOS_VERSIONS / _IPHONE_OS_VERSIONS / _ANDROID_VERSIONS
    app: np.ndarray  # row of _APP_VERSIONS before the upgrade
    newest: np.ndarray  # row of _APP_VERSIONS after it
    upgrade_at: np.ndarray  # epoch ms from which ``newest`` applies
    iphone_os: np.ndarray
    context: np.ndarray | None = None  # object: row 2d before the upgrade, 2d + 1 after


def draw_devices(rng: np.random.Generator, users: Users, period: kit.Run) -> Devices:
    total = users.registered.size
    users.devices = 1 + kit.weighted(rng, list(zip(range(3), DEVICES_P, strict=True)), total)
    users.first_device = np.cumsum(users.devices) - users.devices
    n = int(users.devices.sum())
    apple = rng.random(n) < APPLE_SHARE
    model = np.where(
        apple, rng.integers(0, len(_APPLE_MODELS), n), rng.integers(0, len(_ANDROID_MODELS), n)
    )
    os_version = np.where(
        apple, kit.weighted(rng, _IOS_VERSIONS, n), kit.weighted(rng, _ANDROID_VERSIONS, n)
    )
    app = np.where(
        apple,
        kit.weighted(rng, [(v, w) for v, _, _, w, _ in _APP_VERSIONS], n),
        kit.weighted(rng, [(v, w) for v, _, _, _, w in _APP_VERSIONS], n),
    )
    newest = np.where(apple, _NEWEST_APP["apple"], _NEWEST_APP["android"])
    upgrades = (app < newest) & (rng.random(n) < UPGRADE_SHARE)
    upgrade_from = period.start_ms + int(UPGRADE_FROM * period.days * DAY_MS)
    upgrade_at = np.where(
        upgrades, kit.between(rng, upgrade_from, period.end_ms, n), np.iinfo(np.int64).max
    )
    return Devices(
        ids=kit.uuid_strings(rng, n),
        apple=apple,
        model=model,
        os_version=os_version,
        app=app,
        newest=newest,
        upgrade_at=upgrade_at,
        iphone_os=np.zeros(n, dtype=bool),
    )


def context_rows(rng: np.random.Generator, devices: Devices) -> np.ndarray:
    """Context JSON per device: row ``2 * d`` before the app upgrade, ``2 * d + 1`` after."""
    iphone_os_version = kit.weighted(rng, _IPHONE_OS_VERSIONS, devices.ids.size)
    out = []
    for d, device_id in enumerate(devices.ids.tolist()):
        if devices.apple[d]:
            brand, model, build = "Apple", _APPLE_MODELS[devices.model[d]], 1
            if devices.iphone_os[d]:
                os_name, os_version = "iPhone OS", _IPHONE_OS_VERSIONS[iphone_os_version[d]][0]
            else:
                os_name, os_version = "iOS", _IOS_VERSIONS[devices.os_version[d]][0]
        else:
            (brand, model), build = _ANDROID_MODELS[devices.model[d]], 2
            os_name, os_version = "Android", _ANDROID_VERSIONS[devices.os_version[d]][0]
        head = (device_id, brand.encode(), model.encode(), os_name.encode(), os_version.encode())
        for version in (devices.app[d], devices.newest[d]):
            entry = _APP_VERSIONS[version]
            out.append(_CONTEXT_TEMPLATE % (*head, entry[0].encode(), entry[build].encode()))
    rows = np.empty(len(out), dtype=object)
    rows[:] = out
    return rows
