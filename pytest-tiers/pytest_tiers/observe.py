"""Observation: what each test reached over the network, and why (`--tiers-observe=REPORT.json`).

A pytest plugin (loaded with `pytest_tiers.plugin`) that fails nothing. It records, through
`sys.addaudithook`, every connect (TCP, UDP, unix socket paths; socketpairs never connect) and
every DNS look-up, with where it happened: the setup of which fixture (name, scope, defining
`file:line`), a test's call or teardown, the collection of a file, or a child process of any of
them (child Python processes load the same hook through a `sitecustomize` on `PYTHONPATH`).

The report charges every test with what its fixture closure reached (autouse and session-scoped
fixtures included, whichever test's setup opened the connection), and records each test's
outcome and each collection error, so `pytest-tiers adopt` can compare a normal run with a
sealed one. Python-level hooks do not see C clients (libpq, mysqlclient): the record explains a
decision; it does not make it.

The sealed run of `pytest-tiers adopt` adds `--tiers-seal=all` (the plugin's option): `connect(2)`
denied to the whole session at the OS level (seccomp, Linux) before conftests load.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_tiers import seal
from pytest_tiers.config_files import SERVICE_PORTS_KEY
from pytest_tiers.network_events import event_record
from pytest_tiers.services import parse_service_ports, service_of

# The environment a child process reads: where to append its records, and what it is charged to.
CHILD_LOG_VAR = "PYTEST_TIERS_OBSERVE_LOG"
CHILD_CONTEXT_VAR = "PYTEST_TIERS_OBSERVE_CONTEXT"
_CHILD_DIR = str(Path(__file__).resolve().parent / "_observe_child")

REPORT_VERSION = 1
# `--tiers-check-uses` (uses_check.py) observes too, without writing a report.
CHECK_USES_OPTION_DEST = "tiers_check_uses"


class Observer:
    """The session's recorder: the audit hook's target and the report's author."""

    def __init__(self, config: pytest.Config, report_path: Path | None, sealed: bool) -> None:
        self.config = config
        self.report_path = report_path
        self.sealed = sealed
        self.context: dict[str, Any] = {"phase": "import"}
        self.fixture_stack: list[str] = []
        self.events: list[dict[str, Any]] = []
        self.fixtures: dict[str, dict[str, Any]] = {}
        self.tests: dict[str, dict[str, Any]] = {}
        self.collect_errors: dict[str, str] = {}
        self.active = True
        self._in_hook = False
        try:
            self.ports = parse_service_ports(config.getini(SERVICE_PORTS_KEY))
        except ValueError as error:
            raise pytest.UsageError(f"{SERVICE_PORTS_KEY}: {error}") from error
        log = tempfile.NamedTemporaryFile(prefix="tiers-observe-", suffix=".jsonl", delete=False)
        log.close()
        self.child_log = Path(log.name)
        self._child_log_read = 0
        self._child_events: list[dict[str, Any]] = []
        self._publish_context()

    # --- the hook ---------------------------------------------------------------------------
    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active or self._in_hook or not event.startswith("socket."):
            return
        self._in_hook = True
        try:
            record = event_record(event, args)
            if record is not None:
                self.events.append({**record, **self._where()})
        except Exception:  # - observation must never fail the observed code
            pass
        finally:
            self._in_hook = False

    def _where(self) -> dict[str, Any]:
        where = dict(self.context)
        if self.fixture_stack:
            where["fixture"] = self.fixture_stack[-1]
        return where

    def _publish_context(self) -> None:
        """Children charge their connects to the context they were started in."""
        os.environ[CHILD_CONTEXT_VAR] = json.dumps(self._where())

    def set_context(self, **context: Any) -> None:
        self.context = context
        self._publish_context()

    # --- fixtures ---------------------------------------------------------------------------
    def fixture_key(self, fixturedef: pytest.FixtureDef[Any]) -> str:
        key = f"{self.fixture_location(fixturedef)}::{fixturedef.argname}"
        if key not in self.fixtures:
            self.fixtures[key] = {
                "name": fixturedef.argname,
                "scope": fixturedef.scope,
                "location": self.fixture_location(fixturedef),
            }
        return key

    def fixture_location(self, fixturedef: pytest.FixtureDef[Any]) -> str:
        func = getattr(fixturedef.func, "__wrapped__", fixturedef.func)
        try:
            source = inspect.getsourcefile(func) or "?"
            line = func.__code__.co_firstlineno
        except (TypeError, AttributeError):
            return f"<{fixturedef.argname}>"
        return f"{self.relative(source)}:{line}"

    def relative(self, path: str | os.PathLike[str]) -> str:
        try:
            return os.path.relpath(path, self.config.rootpath)
        except ValueError:
            return str(path)

    # --- the report -------------------------------------------------------------------------
    def child_events(self) -> list[dict[str, Any]]:
        """The child processes' events so far. The log is read on from where the previous call
        stopped (the uses check asks after every test), whole lines only."""
        try:
            with open(self.child_log, "rb") as log:
                log.seek(self._child_log_read)
                new = log.read()
        except OSError:
            return self._child_events
        complete = new[: new.rfind(b"\n") + 1]
        self._child_log_read += len(complete)
        for line in complete.decode("utf-8", "replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            where = record.pop("context", None) or {"phase": "import"}
            self._child_events.append({**record, **where, "child": True})
        return self._child_events

    def _grouped(self) -> dict[str, Any]:
        """Every event so far (children's included), named by service, grouped by what it is
        charged to: a fixture, a test, a file (at collection), or the session."""
        events = self.events + self.child_events()
        for event in events:
            if event["kind"] in ("tcp", "udp", "unix"):
                event["service"] = service_of(event["kind"], event["address"], self.ports)
        grouped: dict[str, Any] = {"fixture": {}, "test": {}, "file": {}, "session": []}
        for event in events:
            for charge in ("fixture", "test", "file"):
                if charge in event:
                    grouped[charge].setdefault(event[charge], []).append(event)
                    break
            else:
                grouped["session"].append(event)
        return grouped

    def _reached(self, test: dict[str, Any], nodeid: str, grouped: dict[str, Any]) -> list[Any]:
        """What a test is charged with: its own events, its fixture closure's, its file's."""
        reached = list(grouped["test"].get(nodeid, []))
        for key in test["fixtures"]:
            reached.extend(grouped["fixture"].get(key, []))
        reached.extend(grouped["file"].get(test["file"], []))
        return _unique(reached)

    def reached_by(self, nodeid: str) -> list[dict[str, Any]]:
        """What the test `nodeid` has been charged with so far."""
        test = self.tests.get(nodeid)
        return [] if test is None else self._reached(test, nodeid, self._grouped())

    def report(self) -> dict[str, Any]:
        grouped = self._grouped()
        by_fixture, by_file, session = grouped["fixture"], grouped["file"], grouped["session"]
        tests = {
            nodeid: {**test, "reached": self._reached(test, nodeid, grouped)}
            for nodeid, test in self.tests.items()
        }
        return {
            "version": REPORT_VERSION,
            "rootdir": str(self.config.rootpath),
            "inipath": str(self.config.inipath) if self.config.inipath else None,
            "service_ports": {str(port): name for port, name in self.ports.items()},
            "sealed": self.sealed,
            "tests": tests,
            "fixtures": {
                key: {**fixture, "reached": _unique(by_fixture.get(key, []))}
                for key, fixture in self.fixtures.items()
            },
            "collect_errors": self.collect_errors,
            "files_reached": {path: _unique(found) for path, found in by_file.items()},
            "session_reached": _unique(session),
            "module_imports": self.module_imports(),
        }

    def write(self) -> None:
        self.active = False
        if self.report_path is not None:
            self.report_path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(self.report(), indent=1, sort_keys=True) + "\n"
            self.report_path.write_text(text)
        self.child_log.unlink(missing_ok=True)

    # --- pytest hooks (this object is registered as a plugin) ---------------------------------
    @pytest.hookimpl(hookwrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Iterator[None]:
        is_file = isinstance(collector, pytest.File)
        previous = self.context
        if is_file:
            self.set_context(phase="collect", file=self.relative(collector.path))
        try:
            yield
        finally:
            if is_file:
                self.set_context(**previous)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            # Node ids are relative to the rootdir, as every path in the report.
            self.collect_errors[report.nodeid.split("::")[0]] = str(report.longrepr)[-2000:]

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef[Any]) -> Iterator[None]:
        self.fixture_stack.append(self.fixture_key(fixturedef))
        self._publish_context()
        try:
            yield
        finally:
            self.fixture_stack.pop()
            self._publish_context()

    def _test_context(self, item: pytest.Item, phase: str) -> None:
        self.set_context(phase=phase, test=item.nodeid)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Iterator[None]:
        self._remember(item)
        self._test_context(item, "setup")
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Iterator[None]:
        self._test_context(item, "call")
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Iterator[None]:
        self._test_context(item, "teardown")
        yield
        self.set_context(phase="between tests")

    def _remember(self, item: pytest.Item) -> None:
        info = getattr(item, "_fixtureinfo", None)
        keys = []
        for name in getattr(item, "fixturenames", ()):
            definitions = info.name2fixturedefs.get(name) if info is not None else None
            if definitions:
                keys.append(self.fixture_key(definitions[-1]))
        self.tests[item.nodeid] = {
            "file": self.relative(item.path),
            "fixtures": keys,
            "outcome": "not run",
        }

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Every collected test is known with its closure, even with --collect-only."""
        for item in session.items:
            if item.nodeid not in self.tests:
                self._remember(item)

    def module_imports(self) -> dict[str, list[str]]:
        """The top-level modules each test file and each fixture-defining file imports (read
        with `ast`): what `adopt --static` decides from."""
        files = {test["file"] for test in self.tests.values()}
        files |= {f["location"].rsplit(":", 1)[0] for f in self.fixtures.values()}
        imports = {}
        for path in sorted(files):
            try:
                source = (self.config.rootpath / path).read_bytes()
            except OSError:
                continue
            imports[path] = imported_modules(source)
        return imports

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        test = self.tests.setdefault(
            report.nodeid,
            {"file": report.nodeid.split("::")[0], "fixtures": [], "outcome": "not run"},
        )
        if hasattr(report, "wasxfail"):
            outcome = "xfailed" if report.skipped else "xpassed"
        else:
            outcome = report.outcome
        current = test["outcome"]
        if report.when == "call" or current == "not run":
            test["outcome"] = outcome
        elif outcome == "failed" and current != "failed":
            test["outcome"] = "failed"  # a teardown error fails a passed test
        if report.failed:
            test["error"] = f"{report.when}: {_short(report.longrepr)}"

    def pytest_sessionfinish(self) -> None:
        self.write()


def imported_modules(source: bytes) -> list[str]:
    """The top-level names of the modules a source imports, anywhere in it, sorted."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return sorted(names)


def _short(longrepr: Any) -> str:
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message)[:500]
    return str(longrepr).strip().splitlines()[-1][:500] if str(longrepr).strip() else ""


def _unique(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per (what, where), in the order first seen."""
    seen = set()
    unique = []
    for event in events:
        key = json.dumps(event, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(event)
    return unique


_OBSERVER: Observer | None = None


def _global_audit(event: str, args: tuple[Any, ...]) -> None:
    if _OBSERVER is not None:
        _OBSERVER.audit(event, args)


_HOOK_INSTALLED = False


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tiers")
    group.addoption(
        "--tiers-observe",
        metavar="REPORT.json",
        default=None,
        help="pytest-tiers: record what each test reaches over the network (connects, DNS, "
        "the fixture or phase that reached it, child processes) into REPORT.json. Fails "
        "nothing.",
    )
    parser.addini(
        SERVICE_PORTS_KEY,
        type="linelist",
        default=[],
        help="pytest-tiers: PORT=SERVICE words naming the services observation reports "
        "(added to 5432=postgres 6379=redis 3306=mysql 5672=amqp 27017=mongodb 9092=kafka "
        "4222=nats 1883=mqtt 11211=memcached).",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    global _OBSERVER, _HOOK_INSTALLED
    report = config.getoption("tiers_observe", None)
    if not report and not config.getoption(CHECK_USES_OPTION_DEST, False):
        return
    report_path = Path(report).resolve() if report else None
    observer = Observer(config, report_path, sealed=seal.installed())
    _OBSERVER = observer
    if not _HOOK_INSTALLED:
        sys.addaudithook(_global_audit)  # cannot be removed: it checks _OBSERVER
        _HOOK_INSTALLED = True
    os.environ[CHILD_LOG_VAR] = str(observer.child_log)
    python_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = _CHILD_DIR + (os.pathsep + python_path if python_path else "")
    config.pluginmanager.register(observer, "tiers-observer")


def pytest_unconfigure(config: pytest.Config) -> None:
    global _OBSERVER
    observer = config.pluginmanager.get_plugin("tiers-observer")
    if observer is not None and observer is _OBSERVER:
        _OBSERVER = None
        for name in (CHILD_LOG_VAR, CHILD_CONTEXT_VAR):
            os.environ.pop(name, None)
        parts = os.environ.get("PYTHONPATH", "").split(os.pathsep)
        if parts and parts[0] == _CHILD_DIR:
            rest = os.pathsep.join(parts[1:])
            if rest:
                os.environ["PYTHONPATH"] = rest
            else:
                os.environ.pop("PYTHONPATH", None)
