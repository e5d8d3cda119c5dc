"""Texts of the clickstream: browsers, the shop's pages, referring sites and search queries.

Made up in the style of the shop's tracker (user agents of assorted browsers and ages, the
shop's own URLs, short marketing phrases as queries).
"""

from __future__ import annotations

import numpy as np

USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/100.0.4896.127 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/15.4 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 15_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/15.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:99.0) Gecko/20100101 Firefox/99.0",
    "Mozilla/5.0 (Linux; Android 12; SM-G991B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/100.0.4896.88 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 12_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "CriOS/99.0.4844.59 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)",
    "Opera/9.80 (Windows NT 6.1; U; en) Presto/2.10.229 Version/11.62",
    "Mozilla/5.0 (Windows NT 6.3; rv:91.0) Gecko/20100101 Firefox/91.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/49.0.2623.112 Safari/537.36",
)
SHOP = "https://shop.example.com"
REFERRER_SITES = (
    "https://search.example.org",
    "https://news.example.net",
    "https://blog.example.io",
)
STREETS = ("Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsplein", "Lindenlaan", "Havenkade",
           "Schoolstraat", "Rue de la Gare", "Hauptstraße", "Marktplein")  # fmt: skip
CITIES = (("Utrecht", "NL"), ("Groningen", "NL"), ("Zwolle", "NL"), ("Gent", "BE"),
          ("Antwerpen", "BE"), ("Köln", "DE"), ("Aachen", "DE"), ("Haarlem", "NL"))  # fmt: skip
_QUERY_FIRST = ("Adaptive", "Balanced", "Cross-platform", "Digitized", "Enhanced", "Focused",
                "Grass-roots", "Horizontal", "Innovative", "Managed", "Optional", "Persistent",
                "Reactive", "Seamless", "Total", "Universal", "Versatile", "Synergistic",
                "Robust", "Streamlined")  # fmt: skip
_QUERY_SECOND = ("bifurcated", "contextual", "dynamic", "executive", "global", "hybrid",
                 "interactive", "local", "modular", "neutral", "regional", "static",
                 "tangible", "uniform", "zero-defect", "fault-tolerant", "next-generation",
                 "value-added", "well-modulated", "directional")  # fmt: skip
_QUERY_THIRD = ("approach", "architecture", "benchmark", "capability", "circuit", "database",
                "firmware", "framework", "hierarchy", "interface", "matrix", "middleware",
                "model", "paradigm", "policy", "portal", "strategy", "synergy", "task-force",
                "toolset")  # fmt: skip


def queries(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` search queries of three words (``S``)."""
    words = [rng.integers(0, len(w), n) for w in (_QUERY_FIRST, _QUERY_SECOND, _QUERY_THIRD)]
    return np.array(
        [
            f"{_QUERY_FIRST[a]} {_QUERY_SECOND[b]} {_QUERY_THIRD[c]}".encode()
            for a, b, c in zip(*(w.tolist() for w in words), strict=True)
        ]
    )
