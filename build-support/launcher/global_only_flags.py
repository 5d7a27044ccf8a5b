"""Print the command-line flags of Pants' global scope, one per line.

Run once by `./pants` when it provisions Pants, with the Pants virtualenv's Python. The launcher
moves these flags into global position when a user types them after a goal
(`./pants test --tag=unit ::`), where Pants would otherwise read them as options of the goal.
Derived from the installed Pants rather than typed by hand, so it cannot drift from it.
"""

from __future__ import annotations

from pants.option.global_options import GlobalOptions
from pants.option.option_types import collect_options_info


def global_only_flags() -> list[str]:
    flags: set[str] = set()
    for info in collect_options_info(GlobalOptions):
        for name in info.flag_names:
            flags.add(name)
            if info.flag_options.get("type") is bool and name.startswith("--"):
                flags.add(f"--no-{name[2:]}")
    return sorted(flags)


if __name__ == "__main__":
    print("\n".join(global_only_flags()))
