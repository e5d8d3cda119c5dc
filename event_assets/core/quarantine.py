"""The quarantine contract every domain shares, read from where dbt declares it.

- The status words of a classified record (`valid`, `rejected`, `duplicate`) are the dbt var
  `quarantine_statuses` in `dbt_project.yml`; the generic test `quarantine_status` checks them.
- A domain's rejection reasons are the `rejection_reasons` meta of its rejected-records model,
  in the domain's own YAML under `dbt_project/models/<domain>/`; the `accepted_values` test of
  that model's `reason` column refers to the same list (a YAML anchor), the Pandera schema, the
  generator and the statistics read it here.
So each list is written once, in dbt's files, and Python reads it without running dbt.
"""

from functools import cache
from pathlib import Path

import yaml

# libyaml's parser when PyYAML was built with it: the pure-Python one takes most of a second
# over a domain's YAML, at every start of the code location.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=_Loader) or {}


# The dbt project, defined here (not in `dbt.py`) so that reading it does not import dagster-dbt.
DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"

# The columns every rejected-records table starts with, in this order (`quarantine_columns()`
# in dbt writes them); a domain's own columns follow.
LEADING_COLUMNS = ("source_file", "line_number", "file_hash", "reason", "raw_record", "ingested_at")


@cache
def statuses() -> tuple[str, ...]:
    """The status words of a classified record, e.g. `("valid", "rejected", "duplicate")`."""
    project = _load_yaml(DBT_PROJECT_DIR / "dbt_project.yml")
    return tuple(project["vars"]["quarantine_statuses"])


@cache
def _quarantine_model(domain: str) -> dict:
    """The properties of the domain's rejected-records model: the one declaring its reasons."""
    found = [
        (path, model)
        for path in sorted((DBT_PROJECT_DIR / "models" / domain).rglob("*.yml"))
        if "rejection_reasons" in path.read_text()
        for model in _load_yaml(path).get("models") or []
        if "rejection_reasons" in ((model.get("config") or {}).get("meta") or {})
    ]
    if len(found) != 1:
        where = ", ".join(f"{path.name}:{model['name']}" for path, model in found) or "none"
        raise ValueError(
            f"domain {domain!r} must declare `config.meta.rejection_reasons` on exactly one model "
            f"in dbt_project/models/{domain}/ (found: {where})"
        )
    return found[0][1]


def rejection_reasons(domain: str) -> tuple[str, ...]:
    """The reasons a record of `domain` may be rejected for, as its dbt YAML declares them."""
    return tuple(_quarantine_model(domain)["config"]["meta"]["rejection_reasons"])


def rejected_table(domain: str) -> str:
    """The name of the domain's rejected-records table (the model that declares the reasons)."""
    return _quarantine_model(domain)["name"]
