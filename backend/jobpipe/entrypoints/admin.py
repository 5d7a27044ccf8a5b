"""Administration from the command line: migrate the database, register a user.

    python -m jobpipe.entrypoints.admin migrate
    python -m jobpipe.entrypoints.admin create-user alice --plan pro [--beta]

`create-user` prints the user's API key; it is stored only as a digest and cannot be shown again.
"""

from __future__ import annotations

import argparse
import asyncio

from jobpipe.adapters.migrations import run_migrations
from jobpipe.adapters.postgres_engine import create_postgres_engine, create_session_factory
from jobpipe.adapters.postgres_unit_of_work import PostgresUnitOfWork
from jobpipe.domain.usage_policy import Plan
from jobpipe.service_layer.users import register_user
from jobpipe.settings import Settings


async def _create_user(settings: Settings, name: str, plan: Plan, beta: bool) -> str:
    await run_migrations(settings.database_url, schema=settings.database_schema)
    engine = create_postgres_engine(settings.database_url, search_path=settings.database_schema)
    try:
        uow = PostgresUnitOfWork(create_session_factory(engine))
        user, api_key = await register_user(uow, name=name, plan=plan, beta=beta)
    finally:
        await engine.dispose()
    return f"user {user.id} ({user.name}, plan {user.plan.value})\napi key {api_key}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="jobpipe-admin")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="upgrade the database schema to the latest revision")
    create = commands.add_parser("create-user", help="register a user and print their API key")
    create.add_argument("name")
    create.add_argument("--plan", choices=[p.value for p in Plan], default=Plan.FREE.value)
    create.add_argument("--beta", action="store_true", help="opt the user into beta features")
    args = parser.parse_args(argv)

    settings = Settings()
    if args.command == "migrate":
        asyncio.run(run_migrations(settings.database_url, schema=settings.database_schema))
        print("database is at the latest revision")
    else:
        print(asyncio.run(_create_user(settings, args.name, Plan(args.plan), args.beta)))


if __name__ == "__main__":
    main()
