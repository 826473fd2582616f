"""The ``cxsuite`` command line: thin wrappers that read settings and call services."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from cxsuite.errors import CxsuiteError
from cxsuite.settings import Settings, load_settings

console = Console()
T = TypeVar("T")


def run_async(fn: Callable[..., Coroutine[Any, Any, T]]) -> Callable[..., T]:
    """Run an async command body; cxsuite errors end the command with their message, not a trace."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return asyncio.run(fn(*args, **kwargs))
        except CxsuiteError as exc:
            console.print(f"[red]error:[/red] {exc.detail}")
            sys.exit(1)

    return wrapper


def settings_or_exit() -> Settings:
    """Settings from the environment; a configuration error ends the command clearly."""
    try:
        return load_settings()
    except CxsuiteError as exc:
        console.print(f"[red]configuration error:[/red] {exc.detail}")
        sys.exit(2)


@click.group()
@click.version_option(package_name="cxsuite")
def main() -> None:
    """cxsuite: CX audits — connectors, journey maturity scoring, branded reports."""


@main.command()
@click.option("--backwards", is_flag=True, help="Roll back instead of applying.")
@click.option("--to", "target", default="all", show_default=True,
              help="Migration id to stop at ('all' = every one; with --backwards, '1' = the last).")
def migrate(backwards: bool, target: str) -> None:
    """Apply (or roll back) database migrations."""
    from cxsuite.db.migrate import run_migrations

    report = run_async(run_migrations)(settings_or_exit(), backwards=backwards, target=target)
    verb = "rolled back" if backwards else "applied"
    if report.applied:
        for migration_id in report.applied:
            console.print(f"{verb} {migration_id}")
    else:
        console.print("database is up to date")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Web processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Serve the HTTP API (migrations are applied first on the embedded default)."""
    import uvicorn

    from cxsuite.logs import configure_logging

    settings = settings_or_exit()
    configure_logging(settings.log_level, settings.log_json)
    if not settings.is_postgres:
        from cxsuite.db.migrate import run_migrations

        run_async(run_migrations)(settings)
    # uvicorn's own logging set-up is skipped (cxsuite.logs routes its lines) and so is its
    # access log, which prints raw query strings: the app logs each request itself.
    uvicorn.run("cxsuite.api.asgi:app", host=host, port=port, workers=workers,
                proxy_headers=True, forwarded_allow_ips=",".join(settings.trusted_proxies),
                log_config=None, access_log=False)


@main.command()
@click.option("--burst", is_flag=True, help="Exit when the queue is empty (tests, one-off runs).")
def worker(burst: bool) -> None:
    """Run an arq worker taking jobs from Redis (needs CXSUITE_REDIS_URL)."""
    settings = settings_or_exit()
    if not settings.redis_url:
        console.print("[red]error:[/red] the worker needs CXSUITE_REDIS_URL; without Redis, jobs run "
                      "inside `cxsuite serve`")
        sys.exit(2)
    from cxsuite.logs import configure_logging
    from cxsuite.worker import create_worker

    configure_logging(settings.log_level, settings.log_json)  # before arq's start-up lines
    create_worker(settings, burst=burst).run()


@main.command()
@click.argument("connection_id")
@click.option("--tenant", "tenant_id", required=True, help="The tenant the connection belongs to.")
def sync(connection_id: str, tenant_id: str) -> None:
    """Run one sync of a connection in the foreground, with a progress bar."""
    from cxsuite.admin import sync_connection

    job = run_async(sync_connection)(settings_or_exit(), tenant_id, connection_id, console)
    console.print(f"sync {job.status}: {job.counts}" + (f" — {job.error}" if job.error else ""))
    sys.exit(0 if job.status == "succeeded" else 1)


@main.command()
@click.argument("run_id")
@click.option("--tenant", "tenant_id", required=True, help="The tenant the score run belongs to.")
@click.option("--limit", type=int, default=None, help="Only the first N priorities.")
def priorities(run_id: str, tenant_id: str, limit: int | None) -> None:
    """List a score run's priorities in the report's order, with the project's value inputs."""
    from cxsuite.scoring.priorities import command_lines

    for line in run_async(command_lines)(settings_or_exit(), tenant_id, run_id, limit):
        console.print(line, highlight=False, markup=False)


@main.command()
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-output"),
              show_default=True, help="Where the PDF (and the demo's own data folder) go.")
@click.option("--size", default="demo", show_default=True,
              help="Sandbox data volume: 'small' (300 contacts), 'demo' (2,000) or a number of contacts.")
@click.option("--lang", "language", type=click.Choice(["en", "lt", "lv", "ru", "fa"]), default="en",
              show_default=True, help="Report language.")
@click.option("--serve", is_flag=True, help="Keep the app (console at /) and the sandbox running afterwards.")
def demo(output: Path, size: str, language: str, serve: bool) -> None:
    """Run a complete audit on the embedded default and print its summary."""
    from rich.table import Table

    from cxsuite.demo.audit import run_demo, show_console

    try:
        volume = int(size) if size.isdigit() else size
        result = asyncio.run(run_demo(output, volume, language, console, serve))
    except KeyboardInterrupt:
        sys.exit(0)
    table = Table("connector", "records imported", title=f"Audit of {result.client_name}")
    for key, count in result.records.items():
        table.add_row(key, f"{count:,}")
    for key, error in result.failures.items():
        table.add_row(key, f"[red]failed[/red]: {error}")
    console.print(table)
    overall = result.overall
    console.print(f"overall maturity: level {overall.get('level')}, {overall.get('level_name')} "
                  f"(score {overall.get('score')}); weakest dimension: {overall.get('weakest_name')}")
    for number, title in enumerate(result.top, start=1):
        console.print(f"  {number}. {title}")
    console.print(f"report: {result.pdf}" if result.pdf else "report: not rendered")
    show_console(result, console, serving=False)
    sys.exit(0 if result.pdf and not result.failures else 1)


@main.group()
def tenants() -> None:
    """Manage tenants."""


@tenants.command("create")
@click.option("--name", required=True, help="The consultancy's name.")
@click.option("--email", required=True, help="The owner's email.")
@click.password_option(help="The owner's password (prompted when omitted).")
def tenants_create(name: str, email: str, password: str) -> None:
    """Create a tenant with its owner and print a session token."""
    from cxsuite.admin import create_tenant

    result = run_async(create_tenant)(settings_or_exit(), name, email, password)
    console.print(f"tenant {result.tenant_id} created; owner {result.email}")
    click.echo(result.token.token)


@main.group()
def tokens() -> None:
    """Mint tokens for automation."""


@tokens.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--tenant", "tenant_id", required=True, help="The tenant id.")
@click.option("--name", default="automation", show_default=True)
@click.option("--expires-in-days", type=int, default=None)
def tokens_create(email: str, tenant_id: str, name: str, expires_in_days: int | None) -> None:
    """Create a personal API token (printed once, on stdout)."""
    from cxsuite.admin import mint_token

    token = run_async(mint_token)(settings_or_exit(), email, tenant_id, name, expires_in_days)
    click.echo(token)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback unless you mean it.")
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--seed", default=7, show_default=True, type=int, help="World generator seed.")
@click.option("--size", default="demo", show_default=True,
              help="'small' (300 contacts), 'demo' (2,000) or a number of contacts.")
@click.option("--auto-approve", is_flag=True, help="Approve OAuth consent without a click.")
@click.option("--fault", "faults", multiple=True, metavar="KIND[:VENDOR][,KEY=VALUE...]",
              help="Inject a fault at start (repeatable), e.g. 'outage:*,seconds=60', "
                   "'server_error:hubspot,count=5,status=503', 'slow:zoho,delay=5,seconds=30', "
                   "'reset_mid_body:ga4,count=3', 'daily_limit:salesforce', 'expired_grant:hubspot'. "
                   "Later faults: POST /_sandbox/faults (docs/reliability.md).")
def sandbox(host: str, port: int, seed: int, size: str, auto_approve: bool, faults: tuple[str, ...]) -> None:
    """Serve loopback stand-ins for HubSpot, Salesforce, Zoho CRM and GA4."""
    from cxsuite.sandbox import serve
    from cxsuite.sandbox.server import parse_fault

    try:
        parsed = [parse_fault(text) for text in faults]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--fault") from exc
    serve(host=host, port=port, seed=seed, size=int(size) if size.isdigit() else size,
          auto_approve=auto_approve, faults=parsed)


@main.group()
def plugins() -> None:
    """Installed plugins."""


@plugins.command("list")
def plugins_list() -> None:
    """Loaded plugins, the connectors they register, and any that were skipped."""
    from rich.table import Table

    from cxsuite.plugin_manager import build_plugins

    loaded = build_plugins()
    table = Table("connector", "name", "auth", "streams")
    for key, connector in sorted(loaded.connectors().items()):
        table.add_row(key, connector.display_name, connector.auth_kind,
                      ", ".join(s.name for s in connector.streams))
    console.print(f"plugins: {', '.join(loaded.names()) or 'none'}")
    console.print(table)
    for problem in loaded.problems:
        console.print(f"[yellow]skipped[/yellow] {problem.plugin}: {problem.problem}")


@main.group()
def keys() -> None:
    """Secrets for production configuration."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a new SECRET_KEY and a new encryption key."""
    import secrets

    from cryptography.fernet import Fernet

    click.echo(f"CXSUITE_SECRET_KEY={secrets.token_urlsafe(48)}")
    click.echo(f"CXSUITE_ENCRYPTION_KEYS={Fernet.generate_key().decode()}")


@keys.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt stored credentials under the first key of CXSUITE_ENCRYPTION_KEYS."""
    from rich.progress import Progress

    from cxsuite.connections.rotation import rotate_all
    from cxsuite.db.session import Database

    settings = settings_or_exit()

    async def run() -> object:
        db = Database.from_url(settings.database_url)
        await db.start()
        try:
            with Progress(console=console) as progress:
                task = progress.add_task("tenants", total=None)
                return await rotate_all(db, settings, lambda done, total: progress.update(
                    task, completed=done, total=total))
        finally:
            await db.close()

    report = run_async(run)()
    console.print(f"re-encrypted {report.rotated}; already under the newest key {report.current}")
