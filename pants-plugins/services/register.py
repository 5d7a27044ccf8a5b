"""Registers `uses=[...]` on python_test(s) and the check that runs before their pytest."""

from services import rules as services_rules
from services.target_types import target_types_rules


def rules():
    return [*services_rules.rules(), *target_types_rules()]
