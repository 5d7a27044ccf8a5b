"""Registers `uses=[...]` on python_test(s) and the check that runs before their pytest."""

from services import check
from services.target_types import target_types_rules


def rules():
    return [*check.rules(), *target_types_rules()]
