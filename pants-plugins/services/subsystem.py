"""`[services]` in pants.toml: where each declared service's URL comes from, and
`--services-skip` to run the tests without checking their services first."""

from __future__ import annotations

from pants.option.option_types import DictOption, FloatOption, SkipOption
from pants.option.subsystem import Subsystem
from pants.util.strutil import softwrap


class ServicesSubsystem(Subsystem):
    options_scope = "services"
    name = "the services check"  # in the help of `skip`
    help = softwrap(
        """
        Services that integration tests declare with `uses=[...]` on `python_test(s)`. Before
        pytest starts on such a target, Pants checks that each declared service answers, and
        fails at once, naming the service, the URL and how to start it, if one does not.
        """
    )

    env_vars = DictOption[str](
        default={},
        help=softwrap(
            """
            Service name -> the environment variable that carries its URL, e.g.
            `{"postgres": "APP_DATABASE_URL"}`. List the same variable in the target's
            `extra_env_vars` so that the tests see the URL that was checked.
            """
        ),
    )
    default_urls = DictOption[str](
        default={},
        help="Service name -> the URL used when its environment variable is unset.",
    )
    check_timeout = FloatOption(
        default=2.0,
        help="Seconds a service may take to answer the check before the run fails.",
    )
    skip = SkipOption("test")
