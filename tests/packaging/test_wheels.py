"""The built distributions in an outside project, as a user would bring tiers to it.

`./pants package ::` builds pytest-tiers, pants-services and pants-tiers; these tests copy a
small untagged project (fixtures/inventory) out of this tree, install the wheels, let
`pytest-tiers adopt --write` tag it from evidence, and run both tiers: once with plain pytest in
a virtualenv, once as a Pants repository that loads the plugins with `[GLOBAL].plugins`.
Integration tier: pip and Pants fetch requirements from PyPI, and one of the project's tests
PINGs the real Redis.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from launcher.facts import LAUNCHER, launcher_value

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent / "fixtures"
SEALED = "tiers seal: OS level: every selected test is 'unit', so connect(2) is denied (EACCES)"
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


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Python 3.11 with the wheel and the newest pytest its requirements allow."""
    return virtualenv(tmp_path_factory.mktemp("py311") / "venv", "3.11")


# What the wheel promises: pytest >= 7 on Python >= 3.9. The oldest of both, and the newest.
@pytest.fixture(scope="module", params=["3.9 with pytest 7.0", "3.11 with the newest pytest"])
def any_python(request: pytest.FixtureRequest, python: str, tmp_path_factory) -> str:
    if request.param.startswith("3.11"):
        return python
    return virtualenv(tmp_path_factory.mktemp("py39") / "venv", "3.9", "pytest==7.0.1")


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


def test_plain_pytest_project_adopts_tiers_with_the_wheel(
    tmp_path: Path, any_python: str
) -> None:
    python = any_python
    project = tmp_path / "inventory"
    shutil.copytree(FIXTURES / "inventory", project)
    adopt(python, project)

    unit = run([python, "-m", "pytest", "-m", "unit", "-p", "no:cacheprovider"], project)
    # Loaded through its pytest11 entry point alone: the project has no conftest.
    assert "tiers: unit, integration; every test carries exactly one." in unit, unit
    assert SEALED in unit, unit
    assert "2 passed, 1 deselected" in unit, unit

    integration = run([python, "-m", "pytest", "-m", "integration"], project)
    assert "1 passed, 2 deselected" in integration, integration


def test_pants_project_adopts_tiers_and_loads_the_plugins(tmp_path: Path, python: str) -> None:
    repo = tmp_path / "inventory"
    shutil.copytree(FIXTURES / "inventory", repo)
    shutil.copy(LAUNCHER, repo / "pants")
    for wheel in wheels().values():
        shutil.copy(wheel, tmp_path)
    # As a user would: this repository's launcher, its Pants and pex versions, the wheels.
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
find_links = ["file://{tmp_path}"]

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
    # What adopt wrote for Pants: the tier, and the service it observed with its variable.
    ping_build = (repo / "tests/ping/BUILD").read_text()
    assert 'tags=["integration"]' in ping_build, ping_build
    assert 'uses=["redis"]' in ping_build, ping_build
    assert '"INVENTORY_REDIS_URL"' in ping_build, ping_build

    pants = [str(repo / "pants")]
    locked = run([*pants, "generate-lockfiles"], repo)
    assert locked.startswith("exit 0"), locked
    lint = run([*pants, "lint", "::"], repo)
    assert lint.startswith("exit 0"), lint
    assert "tiers succeeded" in lint, lint

    unit = run([*pants, "--tag=unit", "test", "::"], repo)
    assert unit.startswith("exit 0"), unit
    assert "✓ tests/stock/test_stock.py:tests succeeded" in unit, unit
    # A tier run that would test nothing fails, through the launcher's tier-selection goal: a
    # misspelt tier, and a path that has no test of the tier (tests/ping is integration).
    typo = run([*pants, "test", "--tag=unti", "::"], repo)
    assert typo.startswith("exit 1"), typo
    assert "'unti' is not a tier, and it looks like a misspelling of 'unit'" in typo, typo
    assert "fix: use --tag=unit." in typo, typo
    empty = run([*pants, "--tag=unit", "test", "tests/ping::"], repo)
    assert empty.startswith("exit 1"), empty
    assert "--tag=unit: no test was selected" in empty, empty

    # After adoption someone adds a target that declares only PostgreSQL but PINGs Redis: the
    # integration tier under the uses check, as the full check runs it, catches it.
    shutil.copytree(FIXTURES / "planted", repo, dirs_exist_ok=True)
    integration = run([*pants, "--tag=integration", "test", "::", "--", "--tiers-check-uses"], repo)
    assert "✓ tests/ping/test_redis_ping.py:tests succeeded" in integration, integration
    assert "✕ tests/reports/test_report_cache.py:tests failed" in integration, integration
    assert (
        "tests/reports/test_report_cache.py::test_report_is_cached: it reached redis "
        "(127.0.0.1:6379) in call, but its target declares uses=['postgres']." in integration
    ), integration
    assert "    fix: add 'redis' to `uses`" in integration, integration
