"""Sample-data generators, one per domain, and the kit they are built from.

Each domain's generator writes realistic, seeded and reproducible landing files for its domain
(including the dirt the pipeline must quarantine); ``kit`` holds what they share (ids, times,
fault injection, delivery, atomic writes, the arguments of a run).

``python -m event_assets.generate DOMAIN ...`` is the command line. It finds the domains itself:
a domain is a module or subpackage of this package, its name not starting with ``_``, that has

- ``HELP: str``, one line for the list of domains;
- ``DESCRIPTION: str``, a sentence on what it writes, for the domain's ``--help``;
- ``add_arguments(parser: argparse.ArgumentParser) -> None``, its options (most domains call
  ``kit.add_run_arguments``);
- ``run(args: argparse.Namespace) -> None``, which generates and prints a summary; it raises
  ``ValueError`` or ``OSError`` for a run that cannot be done (one line on stderr, status 2).

So adding a domain is adding ``<domain>.py`` or ``<domain>/`` here, nothing else; modules without
all four (such as ``kit``) are no domain.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

INTERFACE = ("HELP", "DESCRIPTION", "add_arguments", "run")


def domains() -> dict[str, ModuleType]:
    """The domain modules of this package by name, in name order."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if all(hasattr(module, name) for name in INTERFACE):
            found[info.name] = module
    return found
