"""The ``engagement`` activity catalogue: games, videos, traceables, audiobooks and the rest.

Ids and names follow the real catalogue's families (``song_12``, ``lk_song_farm_bunny``,
``cursive_a``, ...), with its quirks: missing and empty names, an ellipsis here and there, empty
subtypes. A few activity ids events use are missing from it (``..._new``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit

CATALOGUE_SIZE = 1_200
UNKNOWN_ACTIVITIES = 12
# Catalogue types whose ids are collection ids (an event's ``collection_id``).
IN_COLLECTION = {"collection", "playlist"}

_WORDS = {
    "theme": (
        "farm", "ocean", "jungle", "space", "kitchen", "bathroom", "garden", "city", "winter",
        "summer", "rainforest", "desert", "school", "beach", "park", "forest", "snow", "pirates",
        "dinosaurs", "vegetables", "fruits", "colors", "shapes", "numbers", "weather", "family",
        "clothes", "toys", "bugs", "pets", "music", "sports", "planets", "vehicles", "habitats",
        "bakery", "camping", "castle", "circus", "island", "market", "mountains", "river",
    ),
    "animal": (
        "bunny", "frog", "lion", "panda", "penguin", "owl", "fox", "whale", "turtle", "monkey",
        "tiger", "bear", "duck", "dino", "robot", "octopus", "giraffe", "koala", "zebra", "cat",
        "dog", "elephant", "shark", "bee", "snail", "parrot", "hippo", "crab", "unicorn",
        "baby_bot",
    ),
    "action": (
        "washing_hands", "dressing_up", "brushing_teeth", "cooking", "painting", "counting",
        "dancing", "shopping", "cleaning", "sorting", "matching", "pastry_maker", "sequencepath",
        "discovery", "building", "hide_and_seek", "carwash", "recycling", "planting", "fishing",
    ),
}  # fmt: skip
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Catalogue:
    ids: list[str]  # the catalogue's ids, then the unknown ones events also use
    kinds: np.ndarray  # per id: 0 game, 1 video, 2 traceable, 3 audiobook, 4 other
    known: int
    lines: list[bytes]
    playable: np.ndarray  # catalogue rows events draw from
    popularity: np.ndarray  # probability per playable row
    collections: list[str]  # collection and playlist ids (collection_id values)


_PLAYABLE_KINDS = ("game", "video", "traceable", "audiobook")
_KIND_WEIGHT = {"game": 3.0, "video": 1.0, "traceable": 0.9, "audiobook": 0.8}
_TYPE_SHARES = (("video", 0.48), ("traceable", 0.24), ("game", 0.21), ("audiobook", 0.02),
                ("playlist", 0.017), ("printable", 0.013), ("collection", 0.012),
                ("voice", 0.002))  # fmt: skip


def _title(*words: str) -> str:
    return " ".join(w.replace("_", " ").title() for w in words)


def _activity(rng: np.random.Generator, kind: str) -> tuple[str, str | None, str | None]:
    """One (id, name, subtype) in the style of the real catalogue's families."""

    def word(group: str) -> str:
        words = _WORDS[group]
        return words[int(rng.integers(len(words)))]

    n = int(rng.integers(1, 120))
    letter = _LETTERS[int(rng.integers(26))]
    variant = int(rng.integers(8))
    if kind == "video":
        theme, animal = word("theme"), word("animal")
        return (
            (f"song_{n}", f"The {_title(theme)} Song", None),
            (f"lk_song_{theme}_{animal}", _title(animal, theme, "song"), "song"),
            (f"lk_chant_{theme}", _title(theme, "chant"), "chants"),
            (f"kib_{animal}_{theme}", f"{_title(animal)} and the {_title(theme)}", None),
            (f"map_{theme}_{animal}", _title(theme, animal), None),
            (f"my_teacher_{n}", f"My Teacher - {_title(theme)}", "teacher"),
            (f"{letter}{n % 9 + 1}_story_animation", _title(animal, "story"), "generic"),
            (f"lk_episode_{animal}_{theme}", _title(animal, theme), "episode"),
        )[variant]
    if kind == "game":
        theme, action = word("theme"), word("action")
        return (
            (f"{theme}_game", _title(theme, "game"), ("hide_and_seek", "obstacles", None)[n % 3]),
            (f"game_{action}", _title(action), "generic"),
            (f"game_runner_{theme}", _title(theme, "runner"), "runner"),
            (f"{theme}_memory_game", _title(theme, "memory game"), "memory"),
            (f"{theme}_sticker_game", _title(theme, "sticker game"), "sticker"),
            (f"jumpin_{letter}_{theme}", _title(theme, "game", letter), None),
            (f"oup_memory_l{n % 4 + 1}u{n % 9 + 1}", f"oup_memory_l{n % 4 + 1}u{n % 9 + 1}", None),
            (f"game_{action}_{theme}", _title(action, theme), "puzzle"),
        )[variant]
    if kind == "traceable":
        theme, animal = word("theme"), word("animal")
        return (
            (f"cursive_{letter}", f"Letter {letter.upper()} Cursive", "letter"),
            (f"regular_{letter}", f"Letter {letter.upper()} Regular", "letter"),
            (f"draw_{theme}", f"draw_{theme}", "drawing"),
            (f"en_numbers_{n}", str(n), ""),
            (f"words_{theme}_{letter}", _title(theme), "word"),
            (f"{theme}_draw", theme, None),
            (f"coloring_book_{theme}", _title("coloring book", theme), "coloring_book"),
            (f"draw_{animal}", f"draw_{animal}", "drawing"),
        )[variant]
    if kind == "audiobook":
        theme = word("theme")
        if variant % 2:
            return f"kidschema_{n}", _title("my book of", theme), None
        return f"lk_{theme}_audiobook", _title(theme, "story"), "original_audiobook"
    if kind == "playlist":
        theme = word("theme")
        if variant % 2:
            return f"Playlist_{n}", _title("Emma", theme), ("video_playlist", None)[n % 2]
        return f"mt_emma_{theme}_playlist", _title("Emma's", theme), "video_playlist"
    if kind == "printable":
        return f"printable_{n}", f"Printable {n}", None
    if kind == "collection":
        return f"lk_collection_{word('theme')}_{n % 6 + 1}", None, "event"
    animal = word("animal")
    return f"game_talking_{animal}", f"game_talking_{animal}", "changer"


def draw_catalogue(rng: np.random.Generator) -> Catalogue:
    seen: set[str] = set()
    entries: list[dict] = []
    for kind, share in _TYPE_SHARES:
        quota = max(5, round(CATALOGUE_SIZE * share))
        added = 0
        for _ in range(quota * 40):
            activity_id, name, subtype = _activity(rng, kind)
            if activity_id in seen:
                continue
            seen.add(activity_id)
            quirk = rng.random()
            if quirk < 0.09 and kind in ("video", "game", "audiobook"):
                name = None  # as many lk_ activities in the real catalogue
            elif quirk < 0.095:
                name = ""
            elif quirk < 0.105 and name:
                name = f"Can you see the {name} \u2026?"
            if subtype is None and kind == "video" and rng.random() < 0.3:
                subtype = ""
            entries.append(
                {"activity_id": activity_id, "name": name, "type": kind, "subtype": subtype}
            )
            added += 1
            if added == quota:
                break
    entries = [entries[i] for i in rng.permutation(len(entries))]

    unknown: list[str] = []
    while len(unknown) < UNKNOWN_ACTIVITIES:
        activity_id = _activity(rng, ("game", "video")[len(unknown) % 2])[0] + "_new"
        if activity_id not in seen:
            seen.add(activity_id)
            unknown.append(activity_id)

    types = [e["type"] for e in entries]
    kinds = np.array(
        [_PLAYABLE_KINDS.index(t) if t in _PLAYABLE_KINDS else 4 for t in types]
        + [i % 2 for i in range(len(unknown))],
        dtype=np.int8,
    )
    playable = np.flatnonzero(kinds[: len(entries)] < 4)
    rank = rng.permutation(playable.size)
    weight = np.array([_KIND_WEIGHT[types[i]] for i in playable]) / (rank + 4.0) ** 1.05
    return Catalogue(
        ids=[e["activity_id"] for e in entries] + unknown,
        kinds=kinds,
        known=len(entries),
        lines=[kit.json_line(e) for e in entries],
        playable=playable,
        popularity=weight / weight.sum(),
        collections=[e["activity_id"] for e in entries if e["type"] in IN_COLLECTION],
    )
