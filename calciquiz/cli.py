"""The command line: start the app, or build and check a bank (a thin layer over calciquiz.core)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from calciquiz import __version__
from calciquiz.core import paths
from calciquiz.core.problems import InputError

DEFAULT_OUTPUT = Path("bank.sqlite")


def _default_questions() -> list[Path]:
    local = Path("questions")
    return [local] if local.is_dir() else [paths.bundled_questions_dir()]


def _default_documents() -> Path:
    local = Path("resources") / "documents"
    return local if local.is_dir() else paths.bundled_documents_dir()


def _inputs(questions: tuple[Path, ...], documents: Path | None) -> tuple[list[Path], Path]:
    question_dirs = list(questions) or _default_questions()
    documents_dir = documents or _default_documents()
    click.echo(f"questions: {', '.join(str(d) for d in question_dirs)}", err=True)
    click.echo(f"documents: {documents_dir}", err=True)
    return question_dirs, documents_dir


def _report_problems(error: InputError, consequence: str) -> None:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    count = len(error.problems)
    click.echo(f"{count} problem{'s' if count != 1 else ''} found; {consequence}", err=True)
    sys.exit(1)


input_options = [
    click.option(
        "--questions", "-q", "questions", multiple=True,
        type=click.Path(exists=True, path_type=Path),
        help="A question-set file, or a folder of them (*.yaml); repeat for several. "
        "Default: ./questions, else the bundled set.",
    ),
    click.option(
        "--documents", "-d", "documents", type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder with catalog.yaml and the documents. Default: ./resources/documents, else the bundled ones.",
    ),
]


def with_inputs(function):
    for option in reversed(input_options):
        function = option(function)
    return function


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--bank", type=click.Path(dir_okay=False, path_type=Path),
              help="Study from this bank file instead of the bundled one.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep progress in this folder instead of the user data folder.")
@click.version_option(__version__, prog_name="calciquiz")
@click.pass_context
def cli(ctx: click.Context, bank: Path | None, data_dir: Path | None) -> None:
    """CalciQuiz: study calcinosis cutis offline. With no command, opens the app."""
    if data_dir:
        os.environ[paths.DATA_DIR_ENV] = str(data_dir.resolve())
    if ctx.invoked_subcommand is None:
        from calciquiz.gui.app import run

        sys.exit(run(bank))


@cli.command()
@with_inputs
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
              show_default=True, help="Where to write the bank.")
def build(questions: tuple[Path, ...], documents: Path | None, output: Path) -> None:
    """Check all inputs and build the bank; on any error the old bank is left untouched."""
    from calciquiz.core.bank import build_bank

    question_dirs, documents_dir = _inputs(questions, documents)
    try:
        report = build_bank(question_dirs, documents_dir, output)
    except InputError as error:
        _report_problems(error, f"{output} was not changed")
    except OSError as error:
        click.echo(f"error: cannot write {output}: {error.strerror or error}; {output} was not changed", err=True)
        sys.exit(1)
    click.echo(
        f"built {report.path}: {report.questions} questions ({report.vignettes} vignettes), "
        f"{report.documents} documents, {report.passages} passages"
    )
    click.echo(f"study it with: calciquiz --bank {report.path}")


@cli.command()
@with_inputs
def validate(questions: tuple[Path, ...], documents: Path | None) -> None:
    """Run every check of `build` without writing anything."""
    from calciquiz.core.bank import load_sources

    question_dirs, documents_dir = _inputs(questions, documents)
    try:
        documents_loaded, loaded = load_sources(question_dirs, documents_dir)
    except InputError as error:
        _report_problems(error, "nothing was written")
    click.echo(f"ok: {len(loaded)} questions and {len(documents_loaded)} documents, no problems found")


@cli.command()
@with_inputs
def lint(questions: tuple[Path, ...], documents: Path | None) -> None:
    """Check question files against item-writing rules; errors fail, warnings are listed."""
    from calciquiz.core.bank import load_sources
    from calciquiz.core.lint import lint as lint_questions

    question_dirs, documents_dir = _inputs(questions, documents)
    try:
        documents_loaded, loaded = load_sources(question_dirs, documents_dir)
    except InputError as error:
        _report_problems(error, "fix these before the item checks can run")
    findings = lint_questions(loaded, question_dirs[0], documents_loaded)
    errors = [f for f in findings if f.severity == "error"]
    open_warnings = [f for f in findings if f.severity == "warning" and not f.accepted_because]
    accepted = [f for f in findings if f.accepted_because]
    for finding in errors + open_warnings:
        click.echo(str(finding), err=True)
    click.echo(f"{len(loaded)} questions: {len(errors)} errors, {len(open_warnings)} warnings"
               f" ({len(accepted)} more accepted with a reason)")
    if errors:
        sys.exit(1)


@cli.command(name="coverage")
@with_inputs
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON for scripts.")
def coverage_command(questions: tuple[Path, ...], documents: Path | None, as_json: bool) -> None:
    """Report questions per topic, kind and document, uncited teaching passages, and key balance."""
    import json

    from calciquiz.core.bank import load_sources
    from calciquiz.core.coverage import coverage, render_text

    question_dirs, documents_dir = _inputs(questions, documents)
    try:
        documents_loaded, loaded = load_sources(question_dirs, documents_dir)
    except InputError as error:
        _report_problems(error, "fix these before coverage can be measured")
    report = coverage(documents_loaded, loaded)
    click.echo(json.dumps(report.to_json(), indent=2) if as_json else render_text(report))


def _open_progress():
    from calciquiz.core import safekeeping
    from calciquiz.core.progress import ProgressStore

    try:
        return ProgressStore(paths.progress_path())
    except safekeeping.ProgressInUse as error:
        click.echo(f"error: {error} Close it first.", err=True)
    except safekeeping.ProgressDamaged as error:
        click.echo(f"error: {error}. It was set aside as {error.set_aside}; "
                   "run 'calciquiz restore' to bring back the newest good backup.", err=True)
    sys.exit(1)


@cli.command()
def backup() -> None:
    """Make a backup of your progress now (backups are also made automatically)."""
    store = _open_progress()
    try:
        made = store.backup()
    finally:
        store.close()
    click.echo(f"backed up your progress to {made.path}")


@cli.command()
@click.argument("backup_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--list", "list_only", is_flag=True, help="List the backups instead of restoring.")
def restore(backup_file: Path | None, list_only: bool) -> None:
    """Put a backup in place of your progress (the newest good one unless BACKUP_FILE is given).

    The current progress file is set aside under a dated name, never deleted.
    """
    from calciquiz.core import safekeeping

    progress = paths.progress_path()
    backups = safekeeping.list_backups(progress)
    if list_only:
        for item in backups:
            status = safekeeping.check_integrity(item.path)
            click.echo(f"{item.label}  {item.path}" + ("" if status == "ok" else f"  (damaged: {status})"))
        if not backups:
            click.echo("no backups yet")
        return
    chosen = backup_file or getattr(safekeeping.newest_good_backup(progress), "path", None)
    if chosen is None:
        click.echo("error: there is no good backup to restore", err=True)
        sys.exit(1)
    lock = safekeeping.InstanceLock(progress)
    try:
        lock.acquire()
    except safekeeping.ProgressInUse as error:
        click.echo(f"error: {error} Close it before restoring.", err=True)
        sys.exit(1)
    try:
        previous = safekeeping.restore(chosen, progress)
    except safekeeping.ProgressDamaged as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    finally:
        lock.release()
    click.echo(f"restored {chosen}" + (f"; the previous progress file was kept as {previous}" if previous else ""))


@cli.command(name="export-progress")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def export_progress_command(target: Path) -> None:
    """Write your review log, notes and flags to a portable JSON file."""
    from calciquiz.core.exchange import export_progress

    store = _open_progress()
    try:
        count = export_progress(store, target)
    except OSError as error:
        click.echo(f"error: cannot write {target}: {error.strerror or error}", err=True)
        sys.exit(1)
    finally:
        store.close()
    click.echo(f"exported {count} reviews to {target}")


@cli.command(name="import-progress")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_progress_command(source: Path) -> None:
    """Merge an exported progress file into yours: no review lost, none counted twice."""
    from calciquiz.core.exchange import ExchangeError, import_progress

    store = _open_progress()
    try:
        report = import_progress(store, source)
    except ExchangeError as error:
        click.echo(f"error: {error}; nothing was changed", err=True)
        sys.exit(1)
    finally:
        store.close()
    click.echo(f"merged {source}: {report.reviews_added} reviews added, {report.reviews_already_there} already "
               f"present, {report.notes_updated} notes and {report.flags_added} flags taken, "
               f"{report.schedules_rebuilt} schedules rebuilt")


def main() -> None:
    cli(prog_name="calciquiz")
