"""The code location's name is the same wherever it is declared.

`make dev` registers the location under workspace.yaml's name; Dagster compares it with
`[tool.dg.project] code_location_name` (the checkout folder's name when missing) and logs a
warning on every load of the definitions when they differ.
"""

import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def test_workspace_and_pyproject_name_the_code_location_alike():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    workspace = yaml.safe_load((REPO / "workspace.yaml").read_text())
    (entry,) = workspace["load_from"]

    dg_project = pyproject["tool"]["dg"]["project"]
    assert dg_project["code_location_name"] == entry["python_module"]["location_name"]
    assert pyproject["tool"]["dagster"]["code_location_name"] == dg_project["code_location_name"]
    module = f"{dg_project['root_module']}.definitions"
    assert entry["python_module"]["module_name"] == module
