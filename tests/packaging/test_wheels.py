"""The built distributions in an outside project, as a user would install them.

`./pants package ::` builds pytest-tiers, pants-services and pants-tiers; these tests copy a
small project (fixtures/inventory) out of this tree, install the wheels, and run both tiers:
once with plain pytest in a virtualenv, once as a Pants repository that loads the plugins with
`[GLOBAL].plugins`. Integration tier: pip and Pants fetch requirements from PyPI, and the
integration tests PING the real Redis.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parent / "fixtures" / "inventory"
LAUNCHER = Path("pants").resolve()
SNEAKY = "tests/unit/test_sneaky.py::test_reaches_redis_from_the_unit_tier"
DENIED = f"{SNEAKY}: this 'unit' test tried to connect to 127.0.0.1:6379, and that tier is hermetic"
SEALED = "tiers seal: OS level: every selected test is 'unit', so connect(2) is denied (EACCES)"


def wheels() -> dict[str, Path]:
    """The wheels `runtime_package_dependencies` built into this sandbox, by distribution."""
    found = {p.name.split("-")[0]: p.resolve() for p in Path().glob("*.whl")}
    assert sorted(found) == ["pants_services", "pants_tiers", "pytest_tiers"], found
    return found


def launcher_value(name: str) -> str:
    """A fact the launcher read from this repository's pants.toml (sourcing it runs nothing)."""
    script = 'source "$1" && printf %s "${!2}"'
    return subprocess.run(
        ["bash", "-c", script, "bash", str(LAUNCHER), name], capture_output=True, text=True, check=True
    ).stdout


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    return f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


def test_plain_pytest_project_with_the_wheel(tmp_path: Path) -> None:
    project = tmp_path / "inventory"
    shutil.copytree(FIXTURE, project)
    venv.create(tmp_path / "venv", with_pip=True)
    python = str(tmp_path / "venv" / "bin" / "python")
    installed = run([python, "-m", "pip", "install", "-q", str(wheels()["pytest_tiers"])], project)
    assert installed.startswith("exit 0"), installed

    unit = run([python, "-m", "pytest", "-m", "unit", "-p", "no:cacheprovider"], project)
    # Loaded through its pytest11 entry point alone: the project has no conftest.
    assert "tiers: unit, integration; every test carries exactly one." in unit, unit
    assert "1 failed, 2 passed, 2 deselected" in unit, unit
    assert SEALED in unit, unit
    assert DENIED in unit, unit

    integration = run([python, "-m", "pytest", "-m", "integration"], project)
    assert "2 passed, 3 deselected" in integration, integration


def test_pants_project_loading_the_plugins(tmp_path: Path) -> None:
    repo = tmp_path / "inventory"
    shutil.copytree(FIXTURE, repo)
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
    pants = [str(repo / "pants")]
    locked = run([*pants, "generate-lockfiles"], repo)
    assert locked.startswith("exit 0"), locked

    lint = run([*pants, "lint", "::"], repo)
    assert lint.startswith("exit 0"), lint
    assert "tiers succeeded" in lint, lint

    unit = run([*pants, "--tag=unit", "test", "::"], repo)
    assert "✓ tests/unit/test_stock.py:tests succeeded" in unit, unit
    assert "✕ tests/unit/test_sneaky.py:tests failed" in unit, unit
    assert DENIED in unit, unit

    # Under the uses check, as the full check runs it: tests/reports declares only PostgreSQL
    # and PINGs Redis.
    integration = run([*pants, "--tag=integration", "test", "::", "--", "--tiers-check-uses"], repo)
    assert "✓ tests/integration/test_redis_ping.py:tests succeeded" in integration, integration
    assert "✕ tests/reports/test_report_cache.py:tests failed" in integration, integration
    assert (
        "tests/reports/test_report_cache.py::test_report_is_cached: it reached redis "
        "(127.0.0.1:6379) in call, but its target declares uses=['postgres']." in integration
    ), integration
    assert "    fix: add 'redis' to `uses`" in integration, integration

    dead = {**os.environ, "INVENTORY_REDIS_URL": "redis://127.0.0.1:1/0"}
    refused = run([*pants, "--tag=integration", "test", "::"], repo, env=dead)
    assert (
        "redis (Redis) at redis://127.0.0.1:1/0 (from $INVENTORY_REDIS_URL) is not reachable"
        in refused
    ), refused
