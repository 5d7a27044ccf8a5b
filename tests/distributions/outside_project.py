"""The outside project the packaging tests bring tiers to, and the steps they share.

`./pants package ::` builds pytest-tiers, pants-services and pants-tiers
(`runtime_package_dependencies`); each test copies a small untagged project (fixtures/inventory)
out of this tree, installs the pytest-tiers wheel into a virtualenv, and lets `pytest-tiers adopt
--write` tag it from evidence. The tests are split by file so that each runs in a pytest process
of its own: Pants runs them side by side, and CI's shards (build-support/ci/shard_plan.py) can
place them apart.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from launcher.facts import LAUNCHER, launcher_value

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED_TIERS = {"tests/ping/test_redis_ping.py": "integration", "tests/stock/test_stock.py": "unit"}


def wheels() -> dict[str, Path]:
    """The wheels `runtime_package_dependencies` built into this sandbox, by distribution."""
    found = {p.name.split("-")[0]: p.resolve() for p in Path().glob("*.whl")}
    assert sorted(found) == ["pants_services", "pants_tiers", "pytest_tiers"], found
    return found


def run(argv: list[str], cwd: Path) -> str:
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=600)
    return f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


def interpreter(version: str) -> str:
    """A CPython of `version`: on PATH, else under pyenv (where ./pants finds its 3.9)."""
    for candidate in (
        shutil.which(f"python{version}"),
        *sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}")),
    ):
        if candidate:
            return str(candidate)
    raise AssertionError(f"no Python {version} here (PATH, ~/.pyenv): install it")


def virtualenv(root: Path, version: str, *requirements: str) -> str:
    """A virtualenv of that Python with the pytest-tiers wheel (and `requirements`) installed."""
    made = run([interpreter(version), "-m", "venv", str(root)], root.parent)
    assert made.startswith("exit 0"), made
    python = str(root / "bin" / "python")
    wheel = str(wheels()["pytest_tiers"])
    installed = run([python, "-m", "pip", "install", "-q", wheel, *requirements], root)
    assert installed.startswith("exit 0"), installed
    return python


def copy_project(destination: Path) -> Path:
    """A fresh copy of the untagged project."""
    shutil.copytree(FIXTURES / "inventory", destination)
    return destination


def adopt(python: str, project: Path) -> None:
    """`pytest-tiers adopt`: the plan first, then written, then written again (a no-op)."""
    script = str(Path(python).parent / "pytest-tiers")
    plan = subprocess.run(
        [script, "adopt", "--format=json"], cwd=project, capture_output=True, text=True, timeout=600
    )
    assert plan.returncode == 0, plan.stderr
    decided = json.loads(plan.stdout)
    assert {f["path"]: f["tier"] for f in decided["files"]} == EXPECTED_TIERS, plan.stdout
    assert decided["failing"] == [], plan.stdout
    written = run([script, "adopt", "--write"], project)
    assert written.startswith("exit 0"), written
    again = run([script, "adopt", "--write"], project)
    assert "wrote: nothing (already so)" in again, again


def pants(repo: Path, *args: str) -> str:
    """`./pants ARGS` in the Pants repository `repo` (see pants_repository)."""
    return run([str(repo / "pants"), *args], repo)


def pants_repository(root: Path, python: str) -> Path:
    """The project as a Pants repository under `root`, as a user would set it up: this
    repository's launcher, its Pants and pex versions, both plugins from the wheels
    (`[GLOBAL].plugins`), the tiers adopted, and a lockfile of its own."""
    repo = copy_project(root / "inventory")
    shutil.copy(LAUNCHER, repo / "pants")
    for wheel in wheels().values():
        shutil.copy(wheel, root)
    (repo / "pants.toml").write_text(
        f"""[GLOBAL]
pants_version = "{launcher_value("PANTS_VERSION")}"
plugins = ["pants-tiers==0.1.0", "pants-services==0.1.0"]
backend_packages = ["pants.backend.python", "tiers", "services"]
pantsd = false
ignore_warnings = ["DEPRECATED: Running Pants in an external Python interpreter"]

[pex-cli]
version = "v{launcher_value("PEX_VERSION")}"

[python-repos]
find_links = ["file://{root}"]

[python]
interpreter_constraints = ["CPython==3.11.*"]
enable_resolves = true

[python.resolves]
python-default = "python-default.lock"

[python-bootstrap]
search_path = ["<PATH>", "<PYENV>"]

[pytest]
install_from_resolve = "python-default"

[tiers]
names = ["unit", "integration"]

[services]
env_vars = {{ postgres = "INVENTORY_DATABASE_URL", redis = "INVENTORY_REDIS_URL" }}
default_urls = {{ postgres = "postgresql://postgres@127.0.0.1:5432/test", redis = "redis://127.0.0.1:6379/0" }}

[anonymous-telemetry]
enabled = false
"""
    )
    adopt(python, repo)
    locked = pants(repo, "generate-lockfiles")
    assert locked.startswith("exit 0"), locked
    return repo
