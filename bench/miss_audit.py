"""Miss audit: plant a fault per first-party file, and check the change-based selection of
`build-support/ci/affected_tests.py` contains every test file the fault breaks.

Run by hand (minutes, not hours; it never runs in CI):

    python3 bench/miss_audit.py                        # every plant, both tiers
    python3 bench/miss_audit.py --only 'backend/jobpipe/domain/*' --kinds import
    python3 bench/miss_audit.py --scratch /tmp/audit   # reuse a scratch clone (and its pantsd)

Each plant is committed in a scratch clone of HEAD (never in the caller's work tree); the
selection of both tiers is `affected_tests.py --list BASE unit integration` against the parent
commit (one set of Pants queries plans both), run from the audited revision's own copy of
build-support/ci (a plant that breaks the script is then still judged by the rules under
audit). One line per plant, then `miss audit: N plants, M misses`; exit 1 on any miss.

Plants (`--kinds`): `import` (raise at import, after the docstring and `from __future__`
imports, placed with `ast`) for every Python module Pants owns outside the in-repo Pants plugins;
`functions` (every public function and method raises, except the entry points Pants calls to
load a plugin: `rules`, `target_types`, `build_file_aliases`) for the plugins' modules and for the
modules of other source roots that the plugins import, because a fault at import there stops
Pants itself (loud, never a silent miss, and it would prove nothing about the selection);
`migration` (raise at import in a file Alembic loads by path: `versions/*.py` beside `env.py`);
`defaults` (each BUILD `__defaults__` gains `extra_env_vars=["PYTEST_ADDOPTS=-p <missing>"]`, so
every pytest run it reaches fails at start); `conftest` (an autouse fixture that raises);
`pytest-config` (`-p <missing plugin>` added to `addopts`); `resource` (the first file of every
`file`/`files`/`resource`/`resources` target overwritten); `requirement` (`--requirement
NAME==VERSION`: the lockfile's locked version of NAME replaced by VERSION, with the artifacts
and hashes `pip download` fetches from the index; skipped without the option).

Why it is cheap, and still sound. Running both whole tiers with `--test-force` for ~100 plants
takes hours on a 2-core machine. Pants' own cache is the oracle instead: after one baseline run
of each tier, a test whose inputs (its cache key: sources, dependencies, config, environment,
requirements) did not change is answered from the cache, exactly as CI would answer it, and a
test whose inputs changed is run again. A miss is a test file that fails and is not in the
selection, so only the complement of the selection can hold one: the audit runs, unforced, the
tier's files that were *not* selected. Those are normally all cache hits (seconds); any that
re-run had inputs change that the selection did not see, and any that fail are misses. An
escalated (whole-tier) selection has an empty complement and runs nothing. Files run one per
process (`--test-batch-size=1`, baseline included), because a batch's cache key is the whole
batch: a subset would miss the cache. `--whole-tier` runs every file of the tier instead (also
unforced), for the failed counts of the selected files too; it is slower, never more exact.
A plant under a `[GLOBAL].pythonpath` root (plugin code and what it imports) runs Pants with
`--no-pantsd` for that plant: a running pantsd may keep the plugin code it loaded (observed:
a plugin whose `rules()` raised still answered), which would hide the fault from both the
selection and the test runs. One fault per commit: with two, a failure outside both selections could not be told apart (a
failing test does not say which fault broke it), so combining plants would blur attribution
for a saving of one Pants run.

Blind spots, stated honestly. The cache key is all the oracle sees: a test that reads something
outside its sandbox, or whose result depends on something not in its key, can go stale in the
cache. Here those are the tests that find the Pants the launcher provisioned through `HOME` /
`PANTS_LAUNCHER_CACHE` (tests/ci/test_affected_tests_pants.py, tests/distributions/test_pants_project*.py),
the tests that talk to PostgreSQL, Redis or PyPI, and the tier canaries that read their own
process environment; none of them reads the repository outside its sandbox (the ones that copy
parts of it, such as tests/tier_canaries/scratch_backend.py, copy their sandbox's files, which
their targets declare). The only first-party route out of a sandbox is the launcher's cache:
`build-support/launcher/global_only_flags.py` runs once, when `./pants` provisions Pants, and
its output is kept in the cache; `ESCAPE_ROUTES` names, per planted path, the tests to run
with `--test-force` for such routes (the launcher's tests for the launcher and its helper). A
cross-file effect inside one pytest process (CI batches files) is not reproduced one file per
process. Tests Pants skips (`skip_tests=True`: the plugins' RuleRunner tests) run under
`make -C pants-plugins test`, which the full check runs whole, so no selection applies to them.
Baseline failures (a test that already fails, e.g. one needing PyPI when it is unreachable)
cannot be judged and are listed, then left out of every run.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import tomllib

FAULT = 'raise RuntimeError("planted fault")'
MISSING_PLUGIN = "planted_fault_no_such_plugin"
TIERS = ("unit", "integration")
KINDS = (
    "import",
    "functions",
    "migration",
    "defaults",
    "conftest",
    "pytest-config",
    "resource",
    "requirement",
)
# Where a planted path reaches tests outside their sandbox: those tests run --test-force.
ESCAPE_ROUTES: dict[str, tuple[str, ...]] = {
    "build-support/launcher/": ("tests/launcher/test_launcher.py",),
    "pants": ("tests/launcher/test_launcher.py",),
}
# Files the launcher generates (git-ignored) that a fresh clone would otherwise rebuild (~30 s).
LAUNCHER_OUTPUTS = (".pants.rc", "build-support/bin")
PYTEST_CONFIG_NAMES = ("pytest.ini", "pytest.toml", "pyproject.toml", "tox.ini", "setup.cfg")
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "miss-audit",
    "GIT_AUTHOR_EMAIL": "miss-audit@example.invalid",
    "GIT_COMMITTER_NAME": "miss-audit",
    "GIT_COMMITTER_EMAIL": "miss-audit@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
# Pants' per-target result lines: "✓ ADDRESS succeeded in 1.2s (memoized)." / "✕ ADDRESS failed ...".
_RESULT = re.compile(r"^(?P<mark>[✓✕]) (?P<address>\S+) (?P<verb>succeeded|failed)\b")
_SELECTION_HEAD = re.compile(r"^running (all )?\d+ ")
_TIER_HEAD = re.compile(r"^affected_tests: (?P<tier>\S+) tier, ")


# --- the scratch clone and the tools --------------------------------------------------------


def run(argv: Sequence[str], cwd: Path, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        list(argv), cwd=cwd, capture_output=True, text=True, env={**os.environ, **_GIT_ENV}
    )
    if check and result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
        raise SystemExit(f"miss_audit: `{' '.join(argv)}` failed in {cwd}:\n{tail}")
    return result


@dataclass
class Scratch:
    """A clone of the audited revision in which plants are committed, one at a time."""

    root: Path
    base: str
    tool: Path  # the audited revision's build-support/ci/affected_tests.py, outside the clone

    def reset(self) -> None:
        run(["git", "checkout", "--quiet", "--force", self.base], self.root)
        run(["git", "clean", "--quiet", "-d", "--force"], self.root)  # ignored files stay

    def commit(self, message: str) -> bool:
        run(["git", "add", "--all"], self.root)
        if not run(["git", "diff", "--cached", "--quiet"], self.root, check=False).returncode:
            return False
        run(["git", "commit", "--quiet", "--no-verify", f"--message={message}"], self.root)
        return True

    fresh_pants: bool = False  # --no-pantsd: a plant in code Pants itself loads

    def pants_command(self) -> list[str]:
        return [str(self.root / "pants"), *(["--no-pantsd"] if self.fresh_pants else [])]

    def pants(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run([*self.pants_command(), *args], self.root, check=False)

    def loaded_by_pants(self, path: str) -> bool:
        """Whether `path` is under a `[GLOBAL].pythonpath` root (plugin code Pants imports): a
        running pantsd may keep the code it loaded, so such plants run Pants without it."""
        config = tomllib.loads((self.root / "pants.toml").read_text())
        roots = config.get("GLOBAL", {}).get("pythonpath", [])
        relative = [r.replace("%(buildroot)s", "").strip("/") for r in roots]
        return any(r and (path == r or path.startswith(r + "/")) for r in relative)


def make_scratch(repo: Path, where: Path, rev: str) -> Scratch:
    head = run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], repo).stdout.strip()
    clone = where / "repo"
    if not (clone / ".git").is_dir():
        run(["git", "clone", "--quiet", "--no-checkout", str(repo), str(clone)], where)
    run(["git", "fetch", "--quiet", str(repo), head], clone)
    for name in LAUNCHER_OUTPUTS:
        source, target = repo / name, clone / name
        if source.exists() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)
    scratch = Scratch(clone, head, where / "tool" / "build-support/ci/affected_tests.py")
    scratch.reset()
    # The selection script under audit, as it is at the audited revision, with the pure modules
    # it imports, outside the clone: a plant in it is then still judged by the rules under audit.
    shutil.rmtree(where / "tool", ignore_errors=True)
    for part in ("build-support/ci", "pytest-tiers/pytest_tiers"):
        shutil.copytree(clone / part, where / "tool" / part)
    return scratch


# --- what Pants knows -----------------------------------------------------------------------


@dataclass(frozen=True)
class TestTarget:
    address: str
    path: str
    tier: str


def peek_all(scratch: Scratch) -> list[dict[str, object]]:
    result = scratch.pants("peek", "::")
    if result.returncode != 0:
        raise SystemExit(f"miss_audit: `pants peek ::` failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def tier_targets(targets: Iterable[dict[str, object]]) -> dict[str, list[TestTarget]]:
    """The test targets Pants runs per tier (skip_tests targets are run by other steps)."""
    tiers: dict[str, list[TestTarget]] = {tier: [] for tier in TIERS}
    for raw in targets:
        if raw.get("target_type") != "python_test" or raw.get("skip_tests"):
            continue
        sources = list(raw.get("sources") or [])
        for tier in TIERS:
            if tier in (raw.get("tags") or []) and sources:
                tiers[tier].append(TestTarget(str(raw["address"]), str(sources[0]), tier))
    return tiers


def data_targets(targets: Iterable[dict[str, object]]) -> list[list[str]]:
    """The sources of each `file`/`files`/`resource`/`resources` target a BUILD file declares
    (not the per-file targets a generator makes), sorted, READMEs and ignore files last."""
    declared = []
    for raw in targets:
        sources = sorted(raw.get("sources") or [])  # type: ignore[arg-type]
        if raw.get("target_type") not in ("file", "files", "resource", "resources") or not sources:
            continue
        if str(raw["address"]).split(":", 1)[0] == sources[0]:
            continue  # generated by a `files` or `resources` target
        declared.append(sorted(sources, key=lambda p: (PurePosixPath(p).name.startswith(("README", ".")), p)))
    return declared


def owned_files(targets: Iterable[dict[str, object]]) -> dict[str, set[str]]:
    """Files owned by targets, by target type."""
    owned: dict[str, set[str]] = {}
    for raw in targets:
        owned.setdefault(str(raw.get("target_type")), set()).update(raw.get("sources") or [])
    return owned


# --- the selection --------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    files: frozenset[str]
    whole_tier: bool
    error: str = ""
    why: str = ""  # the first `escalated:` line of a whole-tier selection


def parse_selection(output: str) -> Selection:
    """Every indented `  PATH` or `  PATH: REASON` line after the `running ...` line."""
    files: set[str] = set()
    whole = False
    listing = False
    why = ""
    for line in output.splitlines():
        if _SELECTION_HEAD.match(line):
            listing = True
            whole = whole or line.startswith("running all ")
            continue
        if listing and line.startswith("  ") and line.strip():
            files.add(line.strip().split(": ", 1)[0])
        elif line.startswith("escalated: whole "):
            whole = True
            why = why or line
    return Selection(frozenset(files), whole, why=why)


def parse_selections(output: str) -> dict[str, Selection]:
    """Each tier's selection from a several-tier listing (a header line starts each tier)."""
    sections: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in output.splitlines():
        head = _TIER_HEAD.match(line)
        if head:
            lines = sections.setdefault(head["tier"], [])
        lines.append(line)
    return {tier: parse_selection("\n".join(text)) for tier, text in sections.items()}


def selections(scratch: Scratch, parent: str) -> dict[str, Selection]:
    """The selection of every tier, from one `affected_tests.py --list` run."""
    pants = " ".join(scratch.pants_command())
    result = run(
        [sys.executable, str(scratch.tool), "--list", "--repo", str(scratch.root),
         "--pants", pants, parent, *TIERS],
        scratch.root,
        check=False,
    )
    found = parse_selections(result.stdout) if result.returncode == 0 else {}
    if set(found) != set(TIERS):
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        error = lines[0] if lines else f"exit {result.returncode}, tiers listed: {sorted(found)}"
        return {tier: Selection(frozenset(), False, error=error) for tier in TIERS}
    return found


# --- running tests --------------------------------------------------------------------------


@dataclass
class TierRun:
    ran: int = 0
    failed: set[str] = field(default_factory=set)
    pants_error: str = ""


def run_tests(scratch: Scratch, targets: Sequence[TestTarget], *, force: bool = False) -> TierRun:
    """The targets, unforced unless `force`, one file per process; what failed. One Pants run
    per tier, with `--tag=TIER` as CI runs a tier (the launcher may add goals for it)."""
    outcome = TierRun()
    for tier in TIERS:
        one = _run_tier(scratch, tier, [t for t in targets if t.tier == tier], force)
        outcome.ran += one.ran
        outcome.failed |= one.failed
        outcome.pants_error = outcome.pants_error or one.pants_error
    return outcome


def _run_tier(scratch: Scratch, tier: str, targets: Sequence[TestTarget], force: bool) -> TierRun:
    if not targets:
        return TierRun()
    by_address = {t.address: t.path for t in targets}
    args = [f"--tag={tier}", "test", "--test-batch-size=1", *by_address]
    if force:
        args.append("--test-force")
    result = scratch.pants(*args)
    outcome = TierRun(ran=len(targets))
    for line in (result.stdout + result.stderr).splitlines():
        match = _RESULT.match(line.strip())
        if match and match["verb"] == "failed":
            outcome.failed.add(by_address.get(match["address"], match["address"]))
    if result.returncode != 0 and not outcome.failed:
        tail = [line for line in result.stderr.strip().splitlines() if line.strip()]
        outcome.pants_error = tail[-1] if tail else f"exit {result.returncode}"
        outcome.failed = set(by_address.values())
    return outcome


# --- plants ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plant:
    path: str
    kind: str
    apply: Callable[[Path], None]


def _header_end(tree: ast.Module) -> int:
    """The last line of the module docstring and `from __future__` imports (0: none)."""
    end = 0
    for i, node in enumerate(tree.body):
        docstring = (
            i == 0
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        )
        future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        if not (docstring or future):
            break
        end = node.end_lineno or end
    return end


def raise_at_import(file: Path) -> None:
    text = file.read_text()
    lines = text.splitlines(keepends=True)
    at = _header_end(ast.parse(text))
    lines.insert(at, FAULT + "\n")
    planted = "".join(lines)
    ast.parse(planted)
    file.write_text(planted)


# The entry points Pants calls when it loads a plugin (register.py and `rules()` in each rules
# module): a fault there stops Pants itself, which is loud and proves nothing about selection.
PLUGIN_ENTRY_POINTS = frozenset({"rules", "target_types", "build_file_aliases"})


class _RaiseInPublicFunctions(ast.NodeTransformer):
    def __init__(self) -> None:
        self.planted = 0

    def _plant(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        self.generic_visit(node)
        if node.name.startswith("_") or node.name in PLUGIN_ENTRY_POINTS:
            return node
        body = node.body
        keep = 1 if body and isinstance(body[0], ast.Expr) and isinstance(
            getattr(body[0], "value", None), ast.Constant
        ) else 0
        node.body = [*body[:keep], ast.parse(FAULT).body[0], *body[keep:]]
        self.planted += 1
        return node

    visit_FunctionDef = _plant
    visit_AsyncFunctionDef = _plant

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        return self.generic_visit(node) if not node.name.startswith("_") else node


def public_functions_raise(file: Path) -> bool:
    tree = ast.parse(file.read_text())
    planter = _RaiseInPublicFunctions()
    planted = ast.fix_missing_locations(planter.visit(tree))
    if not planter.planted:
        return False
    file.write_text(ast.unparse(planted) + "\n")
    return True


def _defaults_planted(source: str) -> str | None:
    """The BUILD text with every `__defaults__` entry's extra_env_vars gaining the fault."""
    tree = ast.parse(source)
    env = ast.Constant(f"PYTEST_ADDOPTS=-p {MISSING_PLUGIN}")
    changed = False
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__defaults__"):
            continue
        for arg in node.args:
            if not isinstance(arg, ast.Dict):
                continue
            for value in arg.values:
                if not (isinstance(value, ast.Call) and getattr(value.func, "id", "") == "dict"):
                    continue
                for kw in value.keywords:
                    if kw.arg == "extra_env_vars" and isinstance(kw.value, ast.List):
                        kw.value.elts.append(env)
                        break
                else:
                    value.keywords.append(ast.keyword("extra_env_vars", ast.List([env])))
                changed = True
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n" if changed else None


def plant_defaults(file: Path) -> None:
    planted = _defaults_planted(file.read_text())
    assert planted is not None, file
    file.write_text(planted)


CONFTEST_FAULT = f'''

import pytest as _planted_pytest


@_planted_pytest.fixture(autouse=True)
def _planted_fault() -> None:
    {FAULT}
'''


def plant_conftest(file: Path) -> None:
    file.write_text(file.read_text() + CONFTEST_FAULT)


def _is_pytest_config(file: Path) -> bool:
    if file.suffix == ".toml":
        return "pytest" in tomllib.loads(file.read_text()).get("tool", {}) or file.name == "pytest.toml"
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(file.read_text())
    section = "tool:pytest" if file.name == "setup.cfg" else "pytest"
    return parser.has_section(section)


def plant_pytest_option(file: Path) -> None:
    """`-p <missing plugin>` appended to `addopts` (pytest then fails at start), else added."""
    lines = file.read_text().splitlines(keepends=True)
    option = f"-p {MISSING_PLUGIN}"
    for i, line in enumerate(lines):
        key = line.split("=", 1)[0].strip()
        if key != "addopts":
            continue
        body = line.rstrip("\n")
        if body.rstrip().endswith('"'):  # TOML string
            body = body.rstrip()[:-1] + f' {option}"'
        else:
            body = f"{body} {option}"
        lines[i] = body + "\n"
        break
    else:
        header = "[tool.pytest.ini_options]" if file.suffix == ".toml" else "[pytest]"
        at = next(i for i, line in enumerate(lines) if line.strip() == header) + 1
        value = f'"{option}"' if file.suffix == ".toml" else option
        lines.insert(at, f"addopts = {value}\n")
    planted = "".join(lines)
    if file.suffix == ".toml":
        tomllib.loads(planted)
    else:
        configparser.ConfigParser(interpolation=None).read_string(planted)
    file.write_text(planted)


def corrupt(file: Path) -> None:
    file.write_text("planted fault: this is not the file's content\n")


def _lock_json(text: str) -> tuple[str, dict[str, object]]:
    """A Pants lockfile: a `//` comment header, then pex's JSON."""
    lines = text.splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if not line.startswith("//"))
    return "".join(lines[:cut]), json.loads("".join(lines[cut:]))


def bump_requirement(lockfile: Path, requirement: str, workdir: Path) -> None:
    """The locked `NAME` moved to `VERSION`, with the artifacts pip downloads and their hashes."""
    name, version = requirement.split("==", 1)
    download = workdir / f"download-{name}-{version}"
    shutil.rmtree(download, ignore_errors=True)
    pip = run(
        [sys.executable, "-m", "pip", "download", "-vvv", "--no-deps", "--only-binary=:all:",
         "--dest", str(download), requirement],
        workdir,
    )
    wheels = sorted(download.glob("*.whl"))
    assert wheels, f"pip downloaded no wheel for {requirement}"
    # Where pip found each wheel (pex downloads the locked URL and checks the hash).
    links = re.findall(r"Found link (\S+)", pip.stdout + pip.stderr)
    urls = {w.name: next(u for u in links if u.split("#")[0].endswith("/" + w.name)) for w in wheels}
    header, lock = _lock_json(lockfile.read_text())
    normal = re.sub(r"[-_.]+", "-", name).lower()
    found = False
    for resolve in lock["locked_resolves"]:  # type: ignore[union-attr]
        for locked in resolve["locked_requirements"]:
            if locked["project_name"] != normal:
                continue
            locked["version"] = version
            locked["artifacts"] = [
                {
                    "algorithm": "sha256",
                    "hash": hashlib.sha256(wheel.read_bytes()).hexdigest(),
                    "url": urls[wheel.name].split("#")[0],
                }
                for wheel in wheels
            ]
            found = True
    assert found, f"{name} is not locked in {lockfile}"
    lockfile.write_text(header + json.dumps(lock, indent=2) + "\n")


def pytest_tiers_modules_plugins_import(root: Path, python_files: Iterable[str]) -> set[str]:
    """Modules of other source roots that Pants plugin code imports (a fault at import there
    stops Pants)."""
    imported: set[str] = set()
    for path in python_files:
        if not path.startswith("pants-plugins/"):
            continue
        for node in ast.walk(ast.parse((root / path).read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    modules = set()
    for path in python_files:
        if path.startswith("pants-plugins/"):
            continue
        parts = PurePosixPath(path).with_suffix("").parts
        for start in range(len(parts)):
            dotted = ".".join(parts[start:]).removesuffix(".__init__")
            if dotted in imported:
                modules.add(path)
    return modules


def plants(
    root: Path,
    owned: dict[str, set[str]],
    resource_targets: list[list[str]],
    requirement: str | None,
    workdir: Path,
) -> list[Plant]:
    python = sorted(p for p in owned.get("python_source", set()) if p.endswith(".py"))
    tracked = set(run(["git", "ls-files"], root).stdout.split())
    loaded_by_plugins = pytest_tiers_modules_plugins_import(root, python)
    found: list[Plant] = []
    for path in python:
        if path.startswith("pants-plugins/") or path in loaded_by_plugins:
            found.append(Plant(path, "functions", public_functions_raise))
        if path.startswith("pants-plugins/"):
            continue
        migration = PurePosixPath(path).parent.name == "versions" and (
            root / PurePosixPath(path).parent.parent / "env.py"
        ).is_file()
        found.append(Plant(path, "migration" if migration else "import", raise_at_import))
    for path in sorted(tracked):
        name = PurePosixPath(path).name
        data = path in owned.get("files", set()) | owned.get("resources", set())
        if name == "BUILD" and not data and _defaults_planted((root / path).read_text()) is not None:
            found.append(Plant(path, "defaults", plant_defaults))
        if name == "conftest.py" and path in owned.get("python_test_utils", set()):
            found.append(Plant(path, "conftest", plant_conftest))
        if name in PYTEST_CONFIG_NAMES and _in_pants(path, owned) and _is_pytest_config(root / path):
            found.append(Plant(path, "pytest-config", plant_pytest_option))
    planted = {p.path for p in found} | set(python)
    for raw in resource_targets:
        data = [p for p in raw if p not in planted]
        if data:
            found.append(Plant(data[0], "resource", corrupt))
            planted.add(data[0])
    if requirement:
        for lock in sorted(p for p in tracked if p.endswith(".lock")):
            try:
                header, data = _lock_json((root / lock).read_text())
            except (StopIteration, ValueError):
                continue  # not a Pants lockfile of Python requirements
            names = {
                r["project_name"]
                for resolve in data["locked_resolves"]  # type: ignore[union-attr]
                for r in resolve["locked_requirements"]
            }
            if re.sub(r"[-_.]+", "-", requirement.split("==")[0]).lower() in names:
                found.append(
                    Plant(
                        lock,
                        "requirement",
                        lambda f, r=requirement: bump_requirement(f, r, workdir),
                    )
                )
    return found


def _in_pants(path: str, owned: dict[str, set[str]]) -> bool:
    """A pytest configuration Pants' tests use: any file beside a test target's BUILD."""
    directory = str(PurePosixPath(path).parent)
    return any(
        str(PurePosixPath(p).parent).startswith(directory)
        for p in owned.get("python_test", set())
    )


# --- the audit ------------------------------------------------------------------------------


@dataclass
class Verdict:
    plant: Plant
    selected: dict[str, str] = field(default_factory=dict)  # tier -> "S/T" or "all"
    failed: int = 0
    reran: int = 0
    missed: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        status = "MISS" if self.missed else "ok"
        sel = ", ".join(f"{tier} {value}" for tier, value in self.selected.items())
        text = (
            f"{status:4} {self.plant.kind:13} {self.plant.path}  selected [{sel}]  "
            f"failed {self.failed}  missed {len(self.missed)}"
        )
        if self.missed:
            text += ": " + ", ".join(sorted(self.missed))
        if self.notes:
            text += "  (" + "; ".join(self.notes) + ")"
        return text


def audit_plant(
    scratch: Scratch,
    plant: Plant,
    targets: dict[str, list[TestTarget]],
    excluded: set[str],
    whole_tier: bool,
) -> Verdict:
    verdict = Verdict(plant)
    scratch.reset()
    try:
        scratch.fresh_pants = scratch.loaded_by_pants(plant.path)
    except (OSError, tomllib.TOMLDecodeError):
        scratch.fresh_pants = True
    target = scratch.root / plant.path
    if plant.apply(target) is False or not scratch.commit(f"plant {plant.kind} fault in {plant.path}"):
        verdict.notes.append("nothing to plant")
        return verdict
    to_run: list[TestTarget] = []
    forced: list[TestTarget] = []
    selected: set[str] = set()
    chosen_by_tier = selections(scratch, scratch.base)
    for tier in TIERS:
        chosen = chosen_by_tier[tier]
        tier_files = {t.path for t in targets[tier]}
        if chosen.error:
            # The selection itself fails: CI fails loudly, so nothing is silently missed.
            verdict.selected[tier] = "error"
            verdict.notes.append(f"{tier} selection failed: {chosen.error[:160]}")
            continue
        chosen_files = tier_files if chosen.whole_tier else set(chosen.files) & tier_files
        selected |= chosen_files
        verdict.selected[tier] = (
            "all" if chosen.whole_tier else f"{len(chosen_files)}/{len(tier_files)}"
        )
        if chosen.why and not any(n.startswith("escalated") for n in verdict.notes):
            verdict.notes.append(chosen.why[:200])
        runnable = [t for t in targets[tier] if t.path not in excluded]
        to_run += runnable if whole_tier else [t for t in runnable if t.path not in chosen_files]
        forced += [
            t
            for prefix, tests in ESCAPE_ROUTES.items()
            if plant.path == prefix or (prefix.endswith("/") and plant.path.startswith(prefix))
            for t in runnable
            if t.path in tests and t.path not in chosen_files
        ]
    outcome = run_tests(scratch, to_run)
    if forced:
        outcome.failed |= run_tests(scratch, forced, force=True).failed
        verdict.notes.append(f"{len(forced)} escaping test file(s) forced")
    if outcome.pants_error:
        verdict.notes.append(f"Pants failed: {outcome.pants_error[:160]}")
    verdict.failed = len(outcome.failed)
    verdict.missed = outcome.failed - selected
    return verdict


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="repository (default: .)")
    parser.add_argument(
        "--scratch", type=Path, help="scratch directory to (re)use (default: a new temporary one)"
    )
    parser.add_argument(
        "--only", action="append", default=[], metavar="PATTERN",
        help="plant only paths matching this glob (repeatable; `*` crosses directories)",
    )
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help=f"comma-separated plant kinds ({', '.join(KINDS)})"
    )
    parser.add_argument(
        "--requirement", metavar="NAME==VERSION",
        help="the `requirement` plant: move NAME's locked version to VERSION (pip download)",
    )
    parser.add_argument(
        "--whole-tier", action="store_true",
        help="run every file of each tier (unforced), not only the unselected ones",
    )
    parser.add_argument(
        "--rev", default="HEAD", help="the revision to audit (default: HEAD of --repo)"
    )
    parser.add_argument("--list-plants", action="store_true", help="print the plants and stop")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
    unknown = kinds - set(KINDS)
    if unknown:
        print(f"miss_audit: unknown kind(s) {sorted(unknown)}\n    fix: use {', '.join(KINDS)}.")
        return 2
    repo = Path(run(["git", "rev-parse", "--show-toplevel"], args.repo).stdout.strip())
    where = args.scratch or Path(tempfile.mkdtemp(prefix="miss-audit-"))
    where.mkdir(parents=True, exist_ok=True)
    scratch = make_scratch(repo, where, args.rev)
    print(f"miss audit: scratch clone {scratch.root} at {scratch.base[:12]}", flush=True)
    raw = peek_all(scratch)
    targets = tier_targets(raw)
    found = [
        p
        for p in plants(scratch.root, owned_files(raw), data_targets(raw), args.requirement, where)
        if p.kind in kinds
        and (not args.only or any(fnmatch.fnmatchcase(p.path, pat) for pat in args.only))
    ]
    if args.list_plants:
        for p in found:
            print(f"{p.kind:13} {p.path}")
        return 0
    t0 = time.monotonic()
    everything = [t for tier in TIERS for t in targets[tier]]
    # One baseline per audited revision: a re-run with --only reuses it (its failures, often a
    # slow test that needs the network, would otherwise run again each time).
    recorded = where / f"baseline-{scratch.base}.json"
    if recorded.is_file():
        baseline = TierRun(len(everything), set(json.loads(recorded.read_text())))
    else:
        baseline = run_tests(scratch, everything)
        if not baseline.pants_error:
            recorded.write_text(json.dumps(sorted(baseline.failed)))
    excluded = baseline.failed
    counts = ", ".join(f"{len(targets[tier])} {tier}" for tier in TIERS)
    print(
        f"baseline: {counts} test file(s), {len(excluded)} failing "
        f"({time.monotonic() - t0:.0f} s){baseline.pants_error and ': ' + baseline.pants_error}",
        flush=True,
    )
    for path in sorted(excluded):
        print(f"  not judged (fails before any plant): {path}", flush=True)
    print(
        "every file of each tier runs (unforced): `failed` counts every failing file"
        if args.whole_tier
        else "only the files each selection leaves out run (unforced, cached unless their inputs "
        "changed): `failed` counts failures outside the selection",
        flush=True,
    )
    misses = 0
    for plant in found:
        verdict = audit_plant(scratch, plant, targets, excluded, args.whole_tier)
        misses += len(verdict.missed)
        print(verdict.line(), flush=True)
    scratch.reset()
    minutes = (time.monotonic() - started) / 60
    print(f"miss audit: {len(found)} plants, {misses} misses ({minutes:.1f} min)")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
