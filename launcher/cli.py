"""The `sbe` command: run the whole stack, serve one process, or migrate schemas."""

from __future__ import annotations

import argparse
import gc
import signal
import sys

from launcher.processes import ALL, BY_NAME


def serve(name: str, migrate: bool) -> int:
    """Run one process in the foreground (what containers and `sbe run` start)."""
    import uvicorn

    from shared import database_target
    from shared.edge import SERVER_IDLE_SECONDS
    from shared.ops import configure_logging, upgrade

    spec = BY_NAME[name]
    settings = spec.settings()
    configure_logging(spec.name, settings.log_level)
    if migrate and spec.migrations:
        upgrade(spec.migrations, database_target(settings, spec.name))
    # Everything imported so far lives as long as the process: keep it out of the collector's
    # scans, and collect the young generation less often (batches allocate in bursts, and free
    # nearly everything they allocate), so collections stay off the ingest and proxy hot paths.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again: exit 0 then, so a
    # clean stop reads as one.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    uvicorn.run(
        spec.app(settings),
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_config=None,
        lifespan="on",
        timeout_graceful_shutdown=10,
        # Idle connections outlive our clients' (`shared.SERVER_IDLE_SECONDS`).
        timeout_keep_alive=SERVER_IDLE_SECONDS,
        backlog=2048,
        proxy_headers=spec.proxy_headers,
    )
    return 0


def migrate(names: list[str]) -> int:
    """Upgrade the schemas of the named processes (all by default)."""
    from shared import database_target
    from shared.ops import upgrade

    unknown = sorted(set(names) - set(BY_NAME))
    if unknown:
        print(f"sbe migrate: unknown process(es): {', '.join(unknown)}", file=sys.stderr)
        return 2
    for name in names or [spec.name for spec in ALL]:
        spec = BY_NAME[name]
        if spec.migrations:
            upgrade(spec.migrations, database_target(spec.settings(), spec.name))
            print(f"{name}: schema up to date")
    return 0


def make_migration(name: str, message: str) -> int:
    """Autogenerate a revision for one process against its current database."""
    from shared import database_target
    from shared.ops import revision, upgrade

    spec = BY_NAME[name]
    assert spec.migrations is not None
    target = database_target(spec.settings(), spec.name)
    upgrade(spec.migrations, target)
    revision(spec.migrations, target, message)
    return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="sbe", description="苏州楼宇经济智慧平台")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="the whole stack in the foreground (make run)")
    serve_parser = commands.add_parser("serve", help="one process")
    serve_parser.add_argument("name", choices=sorted(BY_NAME))
    serve_parser.add_argument("--migrate", action="store_true", help="migrate its schema first")
    migrate_parser = commands.add_parser("migrate", help="upgrade schemas")
    migrate_parser.add_argument("names", nargs="*", help=f"any of {', '.join(sorted(BY_NAME))}")
    revision_parser = commands.add_parser("makemigration", help="autogenerate a revision")
    revision_parser.add_argument(
        "name", choices=sorted(n for n, s in BY_NAME.items() if s.migrations)
    )
    revision_parser.add_argument("-m", "--message", required=True)
    demo_parser = commands.add_parser(
        "demo", help="load the demonstration city into the running platform (its public interfaces)"
    )
    demo_parser.add_argument("--scale", type=float, default=1.0, help="1: Suzhou's size")
    demo_parser.add_argument("--seed", type=int, default=2023, help="the same seed, the same city")
    commands.add_parser("openapi", help="print the merged OpenAPI document (no I/O)")
    commands.add_parser("asyncapi", help="print the AsyncAPI document of the topics (no I/O)")
    args = parser.parse_args(argv)
    if args.command == "asyncapi":
        import orjson

        from launcher.asyncapi import document

        sys.stdout.write(orjson.dumps(document(), option=orjson.OPT_INDENT_2).decode() + "\n")
        sys.exit(0)
    if args.command == "openapi":
        import orjson

        from launcher.openapi import offline_document

        sys.stdout.write(
            orjson.dumps(
                offline_document(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
            ).decode()
        )
        sys.exit(0)
    if args.command == "run":
        from launcher.stack import run

        sys.exit(run())
    if args.command == "demo":
        from launcher.demo import load
        from launcher.stack import prepare_environment

        if not 0 < args.scale <= 1000:
            parser.error("--scale must be above 0 and at most 1000")
        sys.exit(0 if load(prepare_environment(), args.seed, args.scale) else 1)
    if args.command == "serve":
        sys.exit(serve(args.name, args.migrate))
    if args.command == "migrate":
        sys.exit(migrate(args.names))
    sys.exit(make_migration(args.name, args.message))
