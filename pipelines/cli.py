"""`styrhjul`: the controllers' command line (docs/contract.md).

Exit codes: 0 success; 2 input rejected (files quarantined, nothing published); 1 any other
failure (nothing published). Errors are one sentence; `--debug` shows the traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import traceback
from pathlib import Path

from pipelines.lib.workspace import HOME_ENV, Workspace

EXIT_OK, EXIT_FAILURE, EXIT_REJECTED = 0, 1, 2
PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error; here 2 means "input rejected", so usage errors exit 1."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_FAILURE, f"{self.prog}: fel: {message}\n")


class UserError(Exception):
    """A problem the user can fix; printed as one sentence."""


def _period(value: str) -> str:
    if not PERIOD_RE.match(value):
        raise argparse.ArgumentTypeError(f"'{value}' är ingen period på formen ÅÅÅÅ-MM")
    return value


def _year(value: str) -> int:
    if not re.fullmatch(r"(19|20)\d{2}", value):
        raise argparse.ArgumentTypeError(f"'{value}' är inget år på formen ÅÅÅÅ")
    return int(value)


def _say(message: str) -> None:
    print(message, flush=True)


def _refresh(
    ws: Workspace, debug: bool = False, summary: bool = True, full: bool = False, **kwargs
) -> int:
    from pipelines.lib.run.runner import run_refresh
    from pipelines.lib.warehouse import FULL_REFRESH_ENV

    started = time.monotonic()
    _say_if_waiting(ws)
    if full:
        os.environ[FULL_REFRESH_ENV] = "1"
    try:
        outcome = run_refresh(ws, **kwargs)
    finally:
        os.environ.pop(FULL_REFRESH_ENV, None)
    if outcome.rejected:
        print(outcome.message, file=sys.stderr)
        return EXIT_REJECTED
    if not outcome.success:
        print(f"Uppdateringen misslyckades: {outcome.message}", file=sys.stderr)
        if debug and outcome.detail:
            print(outcome.detail, file=sys.stderr)
        print("Inget publicerades; det publicerade lagret är oförändrat.", file=sys.stderr)
        return EXIT_FAILURE
    _say(f"Klart på {time.monotonic() - started:.0f} s (körning {outcome.run_id[:8]}).")
    if kwargs.get("read_inbox", True) and not kwargs.get("close_period"):
        from pipelines.lib.run import status
        from pipelines.lib.warehouse import current

        current.record(ws, kwargs.get("period"), status.read_status(ws).period)
    if summary:
        _print_summary(ws)
    return EXIT_OK


def _say_if_waiting(ws: Workspace) -> None:
    """The run waits for the refresh lock (pipelines/defs/resources.py); say so, or the wait
    looks like a hang."""
    from pipelines.defs.resources import lock_timeout
    from pipelines.lib.warehouse import build_db

    if build_db.is_locked(ws):
        _say(
            "En annan uppdatering av arbetsytan pågår; väntar på att den blir klar (högst "
            f"{lock_timeout(ws):.0f} s, inställningen automatik.vanta_pa_uppdatering_sekunder) ..."
        )


def _print_summary(ws: Workspace) -> None:
    from pipelines.lib.run import status

    summary = status.read_status(ws)
    _say(f"Publicerat lager: {ws.published_db}")
    _say(f"Senaste period:   {summary.period}")
    if summary.reports:
        _say(f"Rapporter:        {', '.join(str(p) for p in summary.reports)}")
    if summary.flags:
        _say("Nämnder som behöver en åtgärdsplan:")
        for flag in summary.flags:
            _say(f"  {flag}")
    else:
        _say("Ingen nämnd behöver en åtgärdsplan.")
    if summary.demo_warning:
        print(f"VARNING: {summary.demo_warning}", file=sys.stderr)


def cmd_demo(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib.demo import DEMO_CLOSED_YEAR, generate_demo
    from pipelines.lib.run import demo_files

    ws.ensure()
    _say(f"Skapar demokommunen i {ws.inbox} (skala {args.scale}) ...")
    summary = generate_demo(ws.inbox, scale=args.scale)
    demo_files.record(ws.demo_register, (ws.inbox / name for name in summary.files))
    _say(f"{len(summary.files)} filer skrivna; senaste period {summary.latest_period}.")
    _say("Kör månadsuppföljningen på de första leveranserna ...")
    code = _refresh(ws, debug=args.debug, summary=False, period=None)
    if code != EXIT_OK:
        return code
    # The closed year's run reports on its December; the refresh after it reports on the
    # latest month again.
    code = _close_year(ws, DEMO_CLOSED_YEAR, args.debug, summary=False)
    if code != EXIT_OK:
        return code
    # The correction comes in a refresh of its own, as a controller delivers it: in one
    # refresh with the first delivery of its month it would be ambiguous.
    later = summary.deliver_later(ws.inbox)
    demo_files.record(ws.demo_register, later)
    if later:
        names = ", ".join(p.name for p in later)
        _say(f"Levererar rättelsen ({names}) och kör månadsuppföljningen igen ...")
    else:
        _say("Kör månadsuppföljningen för den senaste perioden ...")
    code = _refresh(ws, debug=args.debug, summary=False, period=None)
    if code != EXIT_OK:
        return code
    _write_demo_reports(ws)
    _print_summary(ws)
    return EXIT_OK


def _write_demo_reports(ws: Workspace) -> None:
    """The year's reports the demo writes (DEMO_REPORTS), one progress line each."""
    from pipelines.lib.demo import DEMO_REPORTS
    from pipelines.lib.report import write_reports
    from pipelines.lib.report.types import report_type

    for typ, key in DEMO_REPORTS:
        _say(f"Skriver {report_type(typ).title.lower()} för {key} ...")
        try:
            write_reports(ws, typ, key)
        except ValueError as exc:
            raise UserError(str(exc)) from None


def cmd_refresh(args: argparse.Namespace, ws: Workspace) -> int:
    files = ws.inbox_files()
    _say(f"Månadsuppföljning i {ws.home}: {len(files)} fil(er) i inkorgen.")
    if not args.full:
        from pipelines.lib.warehouse import current

        published = current.is_current(ws, args.period)
        if published is not None:
            # Nothing new: the Dagster run would rebuild exactly what is published.
            _say(
                f"Inget nytt att läsa in: inkorgen är tom och lagret för {published} är redan "
                "byggt med samma inställningar och samma version av Styrhjul, så inget behövde "
                "köras ('styrhjul refresh --full' bygger om allt ändå)."
            )
            _print_summary(ws)
            return EXIT_OK
    return _refresh(ws, debug=args.debug, period=args.period, full=args.full)


def cmd_check(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib.intake.check import check_files
    from pipelines.lib.intake.inbox import inbox_entries

    files = args.files or inbox_entries(ws.inbox)
    missing = [str(path) for path in files if not path.exists() and not path.is_symlink()]
    if missing:
        raise UserError(f"Filen finns inte: {', '.join(missing)}.")
    if not files:
        _say(f"Inkorgen är tom ({ws.inbox}); inget att kontrollera.")
        return EXIT_OK
    result = check_files(ws, files, args.period or "")
    if not result.ok:
        print(result.message, file=sys.stderr)
        return EXIT_REJECTED
    _say(result.message)
    return EXIT_OK


def cmd_status(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib.run import status

    _say(status.format_status(status.read_status(ws)))
    return EXIT_OK


def cmd_report(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib.report import write_reports
    from pipelines.lib.report.pdf import write_pdf
    from pipelines.lib.report.types import AR, report_type

    try:
        kind = report_type(args.type)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if kind.scope == AR and args.year is None:
        raise UserError(f"Rapporttypen {args.type} gäller ett år: ange --year ÅÅÅÅ.")
    if kind.scope != AR and args.period is None:
        raise UserError(f"Rapporttypen {args.type} gäller en period: ange --period ÅÅÅÅ-MM.")
    key = str(args.year) if kind.scope == AR else args.period
    try:
        paths = write_reports(ws, args.type, key, args.namnd)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    for path in paths:
        _say(f"Skrev {path}")
    for path in paths:
        if path.suffix == ".html":
            _say(write_pdf(path).message)
    return EXIT_OK


def cmd_close(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib.run import status

    if args.year is not None:
        return _close_year(ws, args.year, args.debug)
    published = status.published_periods(ws)
    if args.period not in published:
        raise UserError(
            f"Perioden {args.period} är inte publicerad; kör 'styrhjul refresh --period "
            f"{args.period}' först."
        )
    _say(f"Stänger perioden {args.period} ...")
    code = _refresh(
        ws, debug=args.debug, period=args.period, close_period=args.period, read_inbox=False
    )
    if code == EXIT_OK:
        _say(f"Perioden {args.period} är stängd; senare rättelser visas som nya versioner.")
    return code


def _close_year(ws: Workspace, year: int, debug: bool = False, summary: bool = True) -> int:
    """`styrhjul close --year`: refused until the whole year is published, then a run that
    closes its December (the demo closes its year the same way)."""
    from pipelines.lib.run import closing, status

    problem = closing.year_closing_problem(status.published_periods(ws), year)
    if problem:
        raise UserError(problem)
    if not closing.has_closing_entries(ws, year):
        _say(
            f"Inga bokslutsposter (period {year}13) är inlästa; året stängs med december "
            "som sista period."
        )
    december = f"{year}-12"
    _say(f"Stänger året {year} (perioden {december}) ...")
    code = _refresh(
        ws, debug=debug, summary=summary, period=december, close_period=december, read_inbox=False
    )
    if code == EXIT_OK:
        _say(f"Året {year} är stängt; senare rättelser visas som nya versioner.")
    return code


def cmd_undo(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib.report import write_reports
    from pipelines.lib.run import undo
    from pipelines.lib.warehouse import current

    try:
        outcome = undo.undo(ws)
    except undo.UndoRefused as exc:
        raise UserError(str(exc)) from None
    # The shortcut's record described the undone warehouse; the reports are rewritten from the
    # restored one (a correction of the same month would otherwise keep the undone figures).
    (ws.warehouse_dir / current.MARKER).unlink(missing_ok=True)
    undo.record_in_instance(ws, outcome)
    _say(
        f"Ångrade publiceringen från {outcome.undone.published_at:%Y-%m-%d %H:%M} (period "
        f"{outcome.undone.period}); lagret för period {outcome.restored.period} från "
        f"{outcome.restored.published_at:%Y-%m-%d %H:%M} är publicerat igen (körning "
        f"{outcome.run_id[:8]})."
    )
    if outcome.restored.period:
        for path in write_reports(ws, "manadsrapport", outcome.restored.period):
            _say(f"Skrev {path}")
    _say(
        "Filerna som den ångrade uppdateringen läste in finns kvar i archive/; lägg de rättade "
        "filerna i inkorgen och kör 'styrhjul refresh'."
    )
    return EXIT_OK


def cmd_settings(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib import settings

    ws.ensure()
    _say(f"Inställningar i {ws.config_file}:")
    for line in settings.describe(ws.config_file):
        _say(f"  {line}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib.intake.templates import table_kinds, write_template

    kind = table_kinds().get(args.kind)
    target = args.output or Path(f"{kind.prefix if kind else args.kind}mall.xlsx")
    try:
        path = write_template(args.kind, target)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    _say(f"Skrev mallen {path}: fyll i från rad 2 och spara som {kind.prefix}….xlsx i inkorgen.")
    return EXIT_OK


def cmd_quarantine(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib.run import quarantine_tools

    if args.restore:
        try:
            target = quarantine_tools.restore(ws, args.restore)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        _say(f"Flyttade {target.name} tillbaka till inkorgen; den läses vid nästa uppdatering.")
        return EXIT_OK
    entries = quarantine_tools.quarantined(ws)
    if not entries:
        _say(f"Karantänen är tom ({ws.quarantine}).")
        return EXIT_OK
    _say(f"{len(entries)} fil(er) i karantänen ({ws.quarantine}):")
    for entry in entries:
        _say(f"  {entry.path.name}: {entry.first_problem}")
    _say("Hela felbeskrivningen står i <fil>.fel.txt; 'styrhjul quarantine --restore FIL' "
         "flyttar tillbaka en fil till inkorgen.")  # fmt: skip
    return EXIT_OK


def cmd_docs(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib.warehouse.docs import build_docs

    _say("Bygger dokumentationen över lagret (dbt docs) ...")
    site = build_docs(ws)
    _say(f"Skrev {site}; öppna den i en webbläsare (fungerar utan nätverk).")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, ws: Workspace) -> int:
    from pipelines.lib.warehouse.export import export_marts

    output = args.output or ws.home / "export"
    try:
        written = export_marts(ws, args.format, output, args.mart or None)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    for path, rows in written:
        _say(f"Skrev {path} ({rows} rader)")
    return EXIT_OK


# The UI has no login: it listens on this machine only unless `styrhjul ui --host` says otherwise.
UI_HOST = "127.0.0.1"


def ui_command(ws: Workspace, host: str, port: int) -> list[str]:
    """`dagster dev` started by this interpreter (no PATH lookup), bound to `host`."""
    return [
        sys.executable, "-m", "dagster", "dev",
        "-w", str(ws.dagster_workspace_file()),
        "-h", host, "-p", str(port),
    ]  # fmt: skip


def cmd_ui(args: argparse.Namespace, ws: Workspace) -> int:
    ws.activate()
    command = ui_command(ws, args.host, args.port)
    if args.host != UI_HOST:
        _say(
            f"Obs: UI:t nås från andra datorer via {args.host}; det har ingen inloggning, så "
            "se till att bara behöriga når porten."
        )
    _say(f"Startar Dagster UI på http://{args.host}:{args.port} för {ws.home} (Ctrl-C avslutar).")
    os.execve(command[0], command, os.environ)
    return EXIT_OK  # pragma: no cover - execvpe does not return


def _global_options(parser: argparse.ArgumentParser, default) -> None:
    """--home and --debug, accepted before and after the subcommand.

    The subcommand's copies default to SUPPRESS: argparse lets a subparser's defaults overwrite
    what was parsed before the subcommand, so `styrhjul --home /x refresh` would otherwise refresh
    ./data (issue 11).
    """
    parser.add_argument(
        "--home",
        type=Path,
        default=default(None),
        help=f"arbetsytan (annars {HOME_ENV}, annars ./data)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default(False),
        help="visa hela felspårningen vid fel",
    )


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    _global_options(common, lambda value: argparse.SUPPRESS)

    parser = _Parser(
        prog="styrhjul",
        description="Styrhjul: kommunens uppföljning, prognoser och måluppfyllelse.",
    )
    _global_options(parser, lambda value: value)
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    demo = sub.add_parser(
        "demo", parents=[common], help="skapa demokommunen och kör en full uppdatering"
    )
    demo.add_argument(
        "--scale", type=float, default=1.0, help="storlek: 1 = Jönköping, 0.1 = liten (tester)"
    )
    demo.set_defaults(func=cmd_demo)

    refresh = sub.add_parser("refresh", parents=[common], help="månadsuppföljningen")
    refresh.add_argument("--period", type=_period, help="rapportperiod ÅÅÅÅ-MM (standard: senaste)")
    refresh.add_argument(
        "--full",
        action="store_true",
        help="bygg om hela lagret från de inlästa filerna (annars bara de perioder och år som "
        "ändrats)",
    )
    refresh.set_defaults(func=cmd_refresh)

    check = sub.add_parser(
        "check",
        parents=[common],
        help="kontrollera filer som en uppdatering skulle, utan att läsa in något",
        description="Kontrollerar filerna (standard: inkorgens) med samma kontroller som "
        "'styrhjul refresh', mot det publicerade lagret. Inget flyttas, läses in eller "
        "publiceras. Slutkod 0: allt godkänt; 2: något måste rättas.",
    )
    check.add_argument("files", nargs="*", type=Path, metavar="FIL", help="filer att kontrollera")
    check.add_argument(
        "--period", type=_period, help="rapportperiod ÅÅÅÅ-MM (standard: den senaste levererade)"
    )
    check.set_defaults(func=cmd_check)
    status_cmd = sub.add_parser("status", parents=[common], help="lagrets och inkorgens läge")
    status_cmd.set_defaults(func=cmd_status)

    from pipelines.lib.report.types import ALL_TYPES

    report = sub.add_parser(
        "report",
        parents=[common],
        help="skriv om en rapport ur det publicerade lagret",
        description="Skriver en rapport (HTML och Excel, PDF där Chromium finns) i "
        "reports/<period eller år>/ ur det publicerade lagret. Månadsrapporten och "
        "delårsrapporten gäller en period (--period), de andra ett år (--year); "
        "verksamhetsberättelsen och årsredovisningens underlag kräver ett år som stängts med "
        "'styrhjul close --year'. En rapport per nämnd skrivs för varje nämnd utan --namnd.",
    )
    report.add_argument(
        "--type",
        default="manadsrapport",
        metavar="TYP",
        help=f"rapporttyp: {', '.join(ALL_TYPES)} (standard: manadsrapport)",
    )
    scope = report.add_mutually_exclusive_group(required=True)
    scope.add_argument("--period", type=_period, help="period ÅÅÅÅ-MM")
    scope.add_argument("--year", type=_year, help="år ÅÅÅÅ")
    report.add_argument("--namnd", metavar="KOD", help="bara nämnden KOD (rapporttyper per nämnd)")
    report.set_defaults(func=cmd_report)

    close = sub.add_parser(
        "close", parents=[common], help="stäng en rapporterad period eller ett år"
    )
    which = close.add_mutually_exclusive_group(required=True)
    which.add_argument("--period", type=_period, help="period ÅÅÅÅ-MM")
    which.add_argument(
        "--year", type=_year, help="stäng året ÅÅÅÅ (december, när hela året är publicerat)"
    )
    close.set_defaults(func=cmd_close)

    undo_cmd = sub.add_parser(
        "undo",
        parents=[common],
        help="ångra den senaste publiceringen (ett steg tillbaka)",
        description="Publicerar igen lagret som gällde före den senaste publiceringen, med allt "
        "i det: de inlästa tabellerna och förteckningen över inlästa filer, så att den ångrade "
        "uppdateringens filer kan levereras igen (rättade). Går bara ett steg tillbaka, inte förbi "
        "en stängning av en period och inte medan en uppdatering pågår. Rapporterna för den "
        "återställda perioden skrivs om.",
    )
    undo_cmd.set_defaults(func=cmd_undo)

    settings_cmd = sub.add_parser(
        "settings", parents=[common], help="visa inställningarna som gäller, med standardvärden"
    )
    settings_cmd.set_defaults(func=cmd_settings)

    template = sub.add_parser(
        "template", parents=[common], help="skriv en Excel-mall för en sorts indatafil"
    )
    template.add_argument("kind", metavar="SORT", help="t.ex. budget, utfall, organisation, risk")
    template.add_argument(
        "--output", type=Path, help="filen som skrivs (standard: <prefix>mall.xlsx här)"
    )
    template.set_defaults(func=cmd_template)

    quarantine = sub.add_parser(
        "quarantine", parents=[common], help="lista filerna i karantänen och varför"
    )
    quarantine.add_argument(
        "--restore", metavar="FIL", help="flytta tillbaka en fil ur karantänen till inkorgen"
    )
    quarantine.set_defaults(func=cmd_quarantine)

    docs = sub.add_parser(
        "docs", parents=[common], help="bygg dokumentationen över lagret (dbt docs) till docs/"
    )
    docs.set_defaults(func=cmd_docs)

    export = sub.add_parser(
        "export", parents=[common], help="exportera martarna som parquet eller xlsx"
    )
    export.add_argument("--format", choices=["parquet", "xlsx"], default="parquet")
    export.add_argument(
        "--mart", action="append", metavar="NAMN", help="en mart (kan upprepas; standard: alla)"
    )
    export.add_argument("--output", type=Path, help="mappen som skrivs (standard: <home>/export)")
    export.set_defaults(func=cmd_export)

    ui = sub.add_parser("ui", parents=[common], help=f"starta Dagster UI på {UI_HOST}")
    ui.add_argument("--port", type=int, default=3000, help="port (standard 3000)")
    ui.add_argument(
        "--host",
        default=UI_HOST,
        help=f"adressen UI:t lyssnar på (standard {UI_HOST}: bara den här datorn; "
        "0.0.0.0 = alla nätverk)",
    )
    ui.set_defaults(func=cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        ws = Workspace.resolve(args.home)
        return args.func(args, ws)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # one sentence for the user; the traceback behind --debug
        if args.debug:
            traceback.print_exc()
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"Fel: {message}", file=sys.stderr)
        if not args.debug:
            print("(Kör med --debug för detaljer.)", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
