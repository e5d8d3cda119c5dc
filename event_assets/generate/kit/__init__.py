"""The generator kit: the primitives every domain's sample-data generator is built from.

A domain's generator keeps its world (who does what, when) and its faults; the rest is here, all
of it reachable as ``kit.<name>``:

- ``times``: the millisecond constants, epoch ms of a day, timestamp text in the shapes landing
  files use (``T`` or space between date and time, with or without milliseconds, with the
  trailing zeros of microseconds, a zone suffix, JSON quotes), as byte matrices or one string;
- ``draws``: random version-4 uuids (a uint8 matrix of their text, ``S36`` strings, one text),
  uniform moments between bounds, weighted choices, and fault injection: a share of the eligible
  rows topped up to a minimum (``flags``, ``pick``), or a few of them (``some``);
- ``delivery``: the file (day) and position of every line, late lines and lines delivered again
  (``Delivery``, ``redeliver``), a JSON line in the compact or Python-default style, and the
  atomic write of a file;
- ``runs``: the arguments every generator takes (``Run``, ``Options``, a domain's ``Defaults``),
  their checks and command-line options, the ``generate_<domain>`` that returns only the files,
  and the check that a generator's fault kinds are rejection reasons its domain declares.

Everything random draws from the caller's ``numpy.random.Generator`` in a fixed order, so the
same calls on the same seed give the same bytes. The kit is no domain of the command line: it
has none of the domain interface (see ``event_assets.generate``).
"""

from event_assets.generate.kit.delivery import (
    Delivery,
    Period,
    any_time_of,
    json_line,
    late_days,
    redeliver,
    redeliverable,
    write_lines,
)
from event_assets.generate.kit.draws import (
    between,
    flags,
    pick,
    some,
    uuid_matrix,
    uuid_strings,
    uuid_text,
    weighted,
)
from event_assets.generate.kit.runs import (
    Defaults,
    Options,
    Run,
    add_run_arguments,
    check_declared,
    count_argument,
    day_argument,
    files_only,
    options_of,
    seed_argument,
)
from event_assets.generate.kit.times import (
    DAY_MS,
    EPOCH,
    HOUR_MS,
    MINUTE_MS,
    SECOND_MS,
    as_strings,
    epoch_ms,
    iso_text,
    put_digits,
    time_matrix,
)

__all__ = [
    "DAY_MS",
    "EPOCH",
    "HOUR_MS",
    "MINUTE_MS",
    "SECOND_MS",
    "Defaults",
    "Delivery",
    "Options",
    "Period",
    "Run",
    "add_run_arguments",
    "any_time_of",
    "as_strings",
    "between",
    "check_declared",
    "count_argument",
    "day_argument",
    "epoch_ms",
    "files_only",
    "flags",
    "iso_text",
    "json_line",
    "late_days",
    "options_of",
    "pick",
    "put_digits",
    "redeliver",
    "redeliverable",
    "seed_argument",
    "some",
    "time_matrix",
    "uuid_matrix",
    "uuid_strings",
    "uuid_text",
    "weighted",
    "write_lines",
]
