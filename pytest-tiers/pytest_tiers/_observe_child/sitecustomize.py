"""Observation in child Python processes of an observed pytest session.

`pytest --tiers-observe` prepends this directory to `PYTHONPATH`; Python imports this module
at start-up, which appends every connect and DNS look-up of the child (and of its own Python
children, which inherit the variables) to the file `PYTEST_TIERS_OBSERVE_LOG` names, charged
to the context `PYTEST_TIERS_OBSERVE_CONTEXT` holds (the test and phase that started it).
Then the `sitecustomize` this one shadows, if any, runs as it would have.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys


def _install() -> None:
    log = os.environ.get("PYTEST_TIERS_OBSERVE_LOG")
    if not log:
        return
    try:
        context = json.loads(os.environ.get("PYTEST_TIERS_OBSERVE_CONTEXT") or "null")
    except ValueError:
        context = None
    try:
        from pytest_tiers.network_events import event_record
    except ImportError:
        return
    busy = []

    def hook(event: str, args: tuple) -> None:
        if busy or not event.startswith("socket."):
            return
        busy.append(1)
        try:
            record = event_record(event, args)
            if record is not None:
                line = json.dumps({**record, "context": context, "pid": os.getpid()}) + "\n"
                fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(fd, line.encode("utf-8"))
                finally:
                    os.close(fd)
        except Exception:  # noqa: BLE001 - never fail the observed child
            pass
        finally:
            busy.clear()

    sys.addaudithook(hook)


def _chain() -> None:
    """Run the sitecustomize that this directory shadows, if there is one."""
    here = os.path.dirname(os.path.abspath(__file__))
    for entry in sys.path:
        if not entry or os.path.abspath(entry) == here:
            continue
        candidate = os.path.join(entry, "sitecustomize.py")
        if os.path.isfile(candidate):
            spec = importlib.util.spec_from_file_location("_tiers_shadowed_sitecustomize", candidate)
            if spec is not None and spec.loader is not None:
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            return


_install()
_chain()
