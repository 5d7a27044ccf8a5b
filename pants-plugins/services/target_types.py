"""The `uses` field of `python_test` and `python_tests`."""

from __future__ import annotations

from pants.backend.python.target_types import PythonTestsGeneratorTarget, PythonTestTarget
from pants.engine.target import StringSequenceField
from pants.util.strutil import softwrap

from pytest_tiers.services import KNOWN_SERVICES


class UsesServicesField(StringSequenceField):
    alias = "uses"
    valid_choices = tuple(sorted(KNOWN_SERVICES))
    help = softwrap(
        f"""
        The services these tests talk to ({", ".join(sorted(KNOWN_SERVICES))}). Pants checks
        that each one answers before pytest starts; see `[services]` for where URLs come from.
        """
    )


def target_types_rules():
    return [
        PythonTestTarget.register_plugin_field(UsesServicesField),
        PythonTestsGeneratorTarget.register_plugin_field(UsesServicesField),
    ]
