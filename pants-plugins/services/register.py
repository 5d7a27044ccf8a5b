"""Registers `uses=[...]` on python_test(s), the check that runs before their pytest, and the
file that tells pytest what each test declares."""

from services import declared_uses
from services import rules as services_rules
from services.target_types import target_types_rules


def rules():
    return [*services_rules.rules(), *declared_uses.rules(), *target_types_rules()]
