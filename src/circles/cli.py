"""circles serve | migrate | apps … | purge | follow CIRCLE_ID | openapi [--check] | asyncapi [--check]"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from circles.settings import Settings

if TYPE_CHECKING:
    import sqlalchemy as sa

OPENAPI_PATH = Path("openapi/openapi.json")
ASYNCAPI_PATH = Path("openapi/asyncapi.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="circles", description="Holds the talking piece for sharing circles.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate the database, then serve the API and the live socket")
    serve.add_argument("--host", help="default: CIRCLES_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, help="default: CIRCLES_PORT or 8000")

    commands.add_parser("migrate", help="bring the database's schema up to date")

    apps = commands.add_parser("apps", help="manage apps (tenants)")
    app_commands = apps.add_subparsers(dest="apps_command", required=True)
    create = app_commands.add_parser("create", help="create an app and print its API key (once) on stdout")
    create.add_argument("name")
    app_commands.add_parser("list", help="list apps and their keys' ids (never the keys)")
    rotate = app_commands.add_parser("rotate", help="print a new key for the app and revoke all its other keys")
    rotate.add_argument("app_id")
    revoke = app_commands.add_parser("revoke", help="revoke one key (by id; see `apps list`)")
    revoke.add_argument("app_id")
    revoke.add_argument("key_id")

    purge = commands.add_parser("purge", help="erase closed circles past CIRCLES_RETENTION_DAYS, and old records")
    purge.add_argument("--dry-run", action="store_true", help="only say how many circles would be erased")

    follow = commands.add_parser(
        "follow", help="print a circle's live frames, one a line; the token (or app key) is read from stdin"
    )
    follow.add_argument("circle_id")
    follow.add_argument("--server", help="default: where `circles serve` listens here (CIRCLES_HOST, CIRCLES_PORT)")
    follow.add_argument("--after", type=int, default=0, help="the last seq already seen (default 0: from the start)")

    openapi = commands.add_parser("openapi", help=f"write the OpenAPI document to {OPENAPI_PATH}")
    openapi.add_argument("--check", action="store_true", help="fail if the committed document is out of date")
    openapi.add_argument("--path", type=Path, default=OPENAPI_PATH)

    asyncapi = commands.add_parser("asyncapi", help=f"write the live protocol's AsyncAPI document to {ASYNCAPI_PATH}")
    asyncapi.add_argument("--check", action="store_true", help="fail if the committed document is out of date")
    asyncapi.add_argument("--path", type=Path, default=ASYNCAPI_PATH)

    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:  # a bad CIRCLES_ value: say which and why, and start nothing
        raise SystemExit(f"circles: invalid settings (each CIRCLES_ + the name below):\n{error}") from None
    if args.command == "serve":
        return _serve(settings, args.host, args.port)
    if args.command == "migrate":
        _migrate(settings)
        return 0
    if args.command == "purge":
        _migrate(settings)
        return _purge(settings, dry_run=args.dry_run)
    if args.command == "apps":
        _migrate(settings)
        return _apps(settings, args)
    if args.command == "follow":
        return _follow(settings, args)
    if args.command == "asyncapi":
        return _write_document(args.path, render_asyncapi(), "circles asyncapi", check=args.check)
    return _write_document(args.path, render_openapi(), "circles openapi", check=args.check)


def _migrate(settings: Settings) -> None:
    from circles.migration import upgrade

    upgrade(settings.database_url)


def _apps(settings: Settings, args: argparse.Namespace) -> int:
    import uuid

    from circles.db import Database, create_db_engine
    from circles.errors import CirclesError
    from circles.records.tenant import repository
    from circles.tenant import service

    if args.apps_command == "create":
        print(create_app_key(settings, args.name))
        return 0
    database = Database(create_db_engine(settings.database_url, settings.sqlite_synchronous))
    try:
        with database.write_session() as session:
            if args.apps_command == "list":
                for app in repository.all_apps(session):
                    keys = repository.keys_of(session, app.id)
                    listed = [f"{k.id}{' (revoked)' if k.revoked_at else ''}" for k in keys]
                    print(f"{app.id}  {app.name}  keys: {', '.join(listed)}")
            elif args.apps_command == "rotate":
                print(service.rotate_keys(session, uuid.UUID(args.app_id)))
            else:
                service.revoke_key(session, uuid.UUID(args.app_id), uuid.UUID(args.key_id))
                print(f"revoked {args.key_id}", file=sys.stderr)
    except (CirclesError, ValueError) as exc:
        print(f"circles: {exc}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    return 0


def _follow(settings: Settings, args: argparse.Namespace) -> int:
    from circles.follow import follow, live_url, local_server, read_credential

    server = args.server or local_server(settings.host, settings.port)
    return follow(live_url(server, args.circle_id), read_credential(sys.stdin), args.after, sys.stdout)


def _purge(settings: Settings, *, dry_run: bool) -> int:
    from circles.db import Database, create_db_engine
    from circles.retention import purge
    from circles.schema import utc_now

    database = Database(create_db_engine(settings.database_url, settings.sqlite_synchronous))
    try:
        with database.write_session() as session:
            report = purge(session, settings, utc_now(), dry_run=dry_run)
    finally:
        database.dispose()
    verb = "would erase" if dry_run else "erased"
    print(
        f"{verb} {report.circles} closed circle(s) older than {settings.retention_days} days; "
        f"dropped {report.audit_entries} audit entries, {report.idempotency_records} idempotency records and "
        f"{report.webhook_attempts} webhook attempts"
    )
    if settings.broker_url and report.erased_circle_ids:
        return _forget_in_stream(settings, report.erased_circle_ids)
    return 0


def _forget_in_stream(settings: Settings, circle_ids: tuple[uuid.UUID, ...]) -> int:
    """The Redis stream holds copies of the erased circles' events (names included) until it is trimmed:
    delete them now, as DELETE /v1/circles/{id} does."""
    import redis

    from circles.live.stream_appender import Forget, delete_forgotten

    try:
        with redis.Redis.from_url(settings.broker_url, socket_timeout=10) as client:
            deleted = delete_forgotten(client, f"{settings.redis_prefix}events", [Forget(str(c)) for c in circle_ids])
    except redis.RedisError as error:
        print(
            f"circles purge: the circles are erased, but their entries in the Redis stream were not deleted "
            f"({error}); they stay until the stream is trimmed",
            file=sys.stderr,
        )
        return 1
    print(f"deleted {deleted} of their event entries from the Redis stream")
    return 0


def create_app_key(settings: Settings, name: str) -> str:
    """Create an app and return its key, shown this once (only its hash is kept)."""
    from circles.db import Database, create_db_engine
    from circles.tenant.service import create_app_with_key

    database = Database(create_db_engine(settings.database_url, settings.sqlite_synchronous))
    try:
        with database.write_session() as session:
            _app, key = create_app_with_key(session, name)
            return key
    finally:
        database.dispose()


def _migrate_and_make_first_app(settings: Settings) -> str | None:
    """Migrate, and create the first app if there is none, under the migration's lock and in its
    transaction: of instances starting together on a fresh database, exactly one makes it. Its key, or None."""
    from sqlmodel import Session

    from circles.migration import upgrade
    from circles.tenant.service import create_first_app

    def first_app(connection: sa.Connection) -> str | None:
        with Session(bind=connection) as session:  # joins the migration's transaction, which commits it
            return create_first_app(session)

    return upgrade(settings.database_url, then=first_app)


NO_KEY_SHOWN = (
    "This database has its apps already, and a key is shown only when it is made, so none is shown now.\n"
    "  A new app and its key: circles apps create NAME   (apps and their key ids: circles apps list)"
)


def _serve(settings: Settings, host: str | None, port: int | None) -> int:
    from circles.app import create_app
    from circles.serving import listen, serve

    # The port first: when it is taken, stop here, before the database is made or changed.
    listener = listen(host or settings.host, settings.port if port is None else port)
    key = _migrate_and_make_first_app(settings)
    if key is not None:
        print("Created the first app, 'default'. Its API key is shown this once; keep it:", flush=True)
        print(f"  {key}", flush=True)
    else:
        print(NO_KEY_SHOWN, flush=True)
    serve(create_app(settings), settings, listener)
    return 0


def render_openapi() -> str:
    from circles.app import create_app

    return json.dumps(create_app(Settings()).openapi(), indent=2, sort_keys=True) + "\n"


def render_asyncapi() -> str:
    from circles.asyncapi_document import asyncapi_json_text

    return asyncapi_json_text()


def _write_document(path: Path, rendered: str, command: str, *, check: bool) -> int:
    if check:
        current = path.read_text() if path.exists() else ""
        if current != rendered:
            print(f"{path} is out of date: run `{command}`", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(rendered)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
