"""The command line: start the app, or build and check a bank (a thin layer over calciquiz.core)."""
from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

import click

from calciquiz import __version__
from calciquiz.core import paths
from calciquiz.core.problems import MAX_PROBLEMS_PER_FILE, InputError

DEFAULT_OUTPUT = Path("bank.sqlite")
LISTED = 10  # problems or warnings printed before the rest are counted


def _default_subjects() -> Path:
    local = Path("subjects")
    return local if local.is_dir() else paths.bundled_subjects_dir()


def _subject_folders(subjects_dir: Path | None, only: tuple[str, ...]) -> list[Path]:
    """The subject folders to work on; problems finding them are reported like any input problem."""
    from calciquiz.core.subjects import find_subjects

    root = subjects_dir or _default_subjects()
    # Said plainly: an instructor who forgot -s in a folder without ./subjects would otherwise build, lint or
    # export the shipped subjects and take the result for their own.
    bundled = " (the bundled subjects: no ./subjects folder here; name yours with -s)" if (
        subjects_dir is None and root == paths.bundled_subjects_dir()) else ""
    click.echo(f"subjects: {root}" + (f" (only {', '.join(only)})" if only else "") + bundled, err=True)
    try:
        return find_subjects(root, only)
    except InputError as error:
        _report_problems(error, "nothing was read")


def _load(subjects_dir: Path | None, only: tuple[str, ...], consequence: str, links=None):
    """The subjects read and checked; questions without evidence linked, taking the links already made from
    `links` (previous_links of a bank), so a question the last build linked is not linked again."""
    from calciquiz.core.bank import load_sources

    folders = _subject_folders(subjects_dir, only)
    try:
        return load_sources(folders, links)
    except InputError as error:
        _report_problems(error, consequence)


def _report_problems(error: InputError, consequence: str) -> None:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    count = len(error.problems)
    click.echo(f"{count} problem{'s' if count != 1 else ''} found; {consequence}", err=True)
    sys.exit(1)


input_options = [
    click.option(
        "--subjects", "-s", "subjects_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="A folder of subject folders, or one subject folder (with subject.yaml, documents/ and "
        "questions/). Default: ./subjects, else the bundled subjects.",
    ),
    click.option(
        "--subject", "only", multiple=True, metavar="ID",
        help="Only this subject (its folder name); repeat for several. Default: every subject found.",
    ),
]


def with_inputs(function):
    for option in reversed(input_options):
        function = option(function)
    return function


def _links_of(bank: Path | None):
    """The links the bank built from these subjects keeps (none if there is no such bank).

    Without --bank, a missing ./bank.sqlite is the usual case and said nothing of; a named one that is not a
    bank is said, since a typo there would otherwise only make the command slower.
    """
    from calciquiz.core.bank import is_bank_file, previous_links

    if bank is None:
        return previous_links(DEFAULT_OUTPUT)
    if not (bank.is_file() and is_bank_file(bank)):
        click.echo(f"note: {bank} is not a CalciQuiz bank, so questions without evidence are linked afresh", err=True)
    return previous_links(bank)


# The commands that read subjects without building take the links of the bank the last build wrote, so a
# question without evidence is ranked against the passages once (by that build), not at every lint.
linked_bank_option = click.option(
    "--bank", "linked_bank", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help=f"The bank these subjects were built into (default: {DEFAULT_OUTPUT}, if it is there): questions it linked "
    "to a passage are not linked again.")


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--bank", type=click.Path(dir_okay=False, path_type=Path),
              help="Study from this bank file instead of the bundled one.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep progress in this folder instead of the user data folder.")
@click.version_option(__version__, prog_name="calciquiz")
@click.pass_context
def cli(ctx: click.Context, bank: Path | None, data_dir: Path | None) -> None:
    """CalciQuiz: study offline from question banks built from your sources. With no command, opens the app."""
    if data_dir:
        os.environ[paths.DATA_DIR_ENV] = str(data_dir.resolve())
    if ctx.invoked_subcommand is None:
        from calciquiz.gui.app import run

        sys.exit(run(bank))


@cli.command()
@with_inputs
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
              show_default=True, help="Where to write the bank.")
def build(subjects_dir: Path | None, only: tuple[str, ...], output: Path) -> None:
    """Check every subject and build them into one bank; on any error the old bank is left untouched."""
    from calciquiz.core.bank import build_bank, is_bank_file

    # A build replaces its output whole. Anything there but an empty file or a bank (notes, a learner's progress
    # file, a folder) is refused before the subjects are read, so a mistyped -o loses nothing.
    if output.exists() or output.is_symlink():
        if not output.is_file():
            click.echo(f"error: {output} is not a file (a folder, a link or a device); choose another name for "
                       f"the bank ({output} was not changed)", err=True)
            sys.exit(1)
        if output.stat().st_size and not is_bank_file(output):
            click.echo(f"error: {output} exists and is not a CalciQuiz bank; choose another name, or delete it "
                       f"first if it is a damaged bank ({output} was not changed)", err=True)
            sys.exit(1)
    folders = _subject_folders(subjects_dir, only)
    try:
        report = build_bank(folders, output)
    except InputError as error:
        _report_problems(error, f"{output} was not changed")
    except OSError as error:
        click.echo(f"error: cannot write {output}: {error.strerror or error}; {output} was not changed", err=True)
        sys.exit(1)
    _report_skipped(report.skipped)
    click.echo(
        f"built {report.path}: {_count(report.subjects, 'subject')}, "
        f"{_count(report.questions, 'question')} ({_count(report.vignettes, 'vignette')}), "
        f"{_count(report.documents, 'document')}, {_count(report.passages, 'passage')}"
    )
    click.echo(f"study it with: calciquiz --bank {report.path}")


@cli.command()
@with_inputs
@linked_bank_option
def validate(subjects_dir: Path | None, only: tuple[str, ...], linked_bank: Path | None) -> None:
    """Run every check of `build` without writing anything."""
    loaded = _load(subjects_dir, only, "nothing was written", _links_of(linked_bank))
    _report_skipped([p for s in loaded for p in s.skipped])
    for subject in loaded:
        click.echo(f"ok: {subject.subject.id}: {_count(len(subject.questions), 'question')} in "
                   f"{_count(len(subject.sets), 'set')} and {_count(len(subject.documents), 'document')}, "
                   "no problems found")


def _report_skipped(skipped) -> None:
    """What a build leaves out is not an error, but the instructor must see each item and why."""
    shown: dict[Path, int] = {}
    for problem in skipped:
        # A file of 100,000 essay questions must not print 100,000 lines: the first of each file, then a count.
        shown[problem.file] = shown.get(problem.file, 0) + 1
        if shown[problem.file] <= MAX_PROBLEMS_PER_FILE:
            click.echo(f"skipped: {problem}", err=True)
    for file, count in shown.items():
        if count > MAX_PROBLEMS_PER_FILE:
            click.echo(f"skipped: {file}: ... and {count - MAX_PROBLEMS_PER_FILE:,} more in this file", err=True)
    if skipped:
        click.echo(f"{_count(len(skipped), 'item')} left out of the bank (listed above)", err=True)


def _count(number: int, noun: str) -> str:
    """'1 set', '2 sets', '0 sets'."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


@cli.command()
@with_inputs
@linked_bank_option
def lint(subjects_dir: Path | None, only: tuple[str, ...], linked_bank: Path | None) -> None:
    """Check question files against item-writing rules; errors fail, warnings are listed."""
    from calciquiz.core.lint import lint as lint_questions

    loaded = _load(subjects_dir, only, "fix these before the item checks can run", _links_of(linked_bank))
    failed = False
    for subject in loaded:
        findings = lint_questions(subject.questions, subject.subject.question_paths[0],
                                  subject.subject.everyday_words, subject.documents)
        errors = [f for f in findings if f.severity == "error"]
        open_warnings = [f for f in findings if f.severity == "warning" and not f.accepted_because]
        accepted = [f for f in findings if f.accepted_because]
        for finding in errors + open_warnings:
            click.echo(str(finding), err=True)
        click.echo(f"{subject.subject.id}: {_count(len(subject.questions), 'question')}: "
                   f"{_count(len(errors), 'error')}, {_count(len(open_warnings), 'warning')} "
                   f"({len(accepted)} more accepted with a reason)")
        failed = failed or bool(errors)
    if failed:
        sys.exit(1)


@cli.command(name="link")
@click.argument("ids", nargs=-1, metavar="ID...")
@click.option("--all", "every", is_flag=True, help="Every question without evidence written by hand.")
@click.option("--accept", is_flag=True,
              help="Write the best candidate's quote into the question's YAML set as its evidence.")
@with_inputs
@linked_bank_option
def link_command(ids: tuple[str, ...], every: bool, accept: bool, subjects_dir: Path | None,
                 only: tuple[str, ...], linked_bank: Path | None) -> None:
    """Show the passages that best support questions (the top three, with their scores); --accept keeps the best."""
    from dataclasses import replace

    from calciquiz.core.accept_link import CannotAccept, accept as accept_quote
    from calciquiz.core.linking import Linker

    if not ids and not every:
        click.echo("error: name question ids, or --all for every question without written evidence", err=True)
        sys.exit(2)
    links = _links_of(linked_bank)
    loaded = _load(subjects_dir, only, "nothing was linked", links)
    left_out = {q.id for q in links.left_out}
    chosen: list[tuple[object, object]] = []
    for subject in loaded:
        questions = subject.questions + [q for q in links.left_out if q.subject == subject.subject.id]
        for question in questions:
            unchecked = not question.evidence or all(e.auto for e in question.evidence)
            if (every and unchecked) or question.name in ids or question.id in ids:
                chosen.append((subject, question))
    unknown = [i for i in ids if not any(i in (q.name, q.id) for _, q in chosen)]
    for name in unknown:
        click.echo(f"error: no question '{name}' in the subjects read", err=True)
    failed = bool(unknown)
    linkers: dict[str, Linker] = {}
    for subject, question in chosen:
        linker = linkers.setdefault(subject.subject.id, Linker(subject.documents))
        candidates = linker.rank(replace(question, evidence=()))
        state = ("no passage supports it well enough (left out of the bank)" if question.id in left_out
                 else "evidence written by hand" if not all(e.auto for e in question.evidence)
                 else "linked automatically")
        click.echo(f"{question.name} ({question.file}:{question.line}): {state}")
        for rank, candidate in enumerate(candidates, start=1):
            section = f" § {candidate.passage.section}" if candidate.passage.section else ""
            click.echo(f"  {rank}. {candidate.support:.3f}  {candidate.document.local_id}{section}")
            click.echo(f"     \"{candidate.quote}\"")
        if not candidates:
            click.echo("  no passage shares a word with it")
        if accept:
            if not candidates:
                failed = True
                continue
            try:
                accept_quote(question, candidates[0].document.local_id, candidates[0].quote)
            except CannotAccept as error:
                click.echo(f"error: {error}", err=True)
                failed = True
            except (InputError, OSError) as error:
                click.echo(f"error: {question.file}: {getattr(error, 'strerror', None) or error}; nothing was changed",
                           err=True)
                failed = True
            else:
                click.echo(f"  accepted 1: written into {question.file} as the evidence of '{question.name}'")
    if failed:
        sys.exit(1)


@cli.command(name="export")
@click.argument("format_name", metavar="FORMAT", type=click.Choice(["anki", "moodle-xml", "gift"]))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_inputs
@linked_bank_option
def export_command(format_name: str, target: Path, subjects_dir: Path | None, only: tuple[str, ...],
                   linked_bank: Path | None) -> None:
    """Write the questions of the subjects as an Anki deck (.apkg), Moodle XML or GIFT file."""
    from calciquiz.core import formats
    from calciquiz.core.exporting import EXPORTERS, FORMAT_NAMES, TARGET_SUFFIXES, export, items_from_subjects

    if format_name not in EXPORTERS:
        click.echo(f"error: export to {format_name} is not available in this version", err=True)
        sys.exit(1)
    suffixes = TARGET_SUFFIXES[format_name]
    if target.suffix.lower() not in suffixes:
        click.echo(f"error: {target}: {FORMAT_NAMES[format_name]} is written to a {' or '.join(suffixes)} file; "
                   f"name it FILE{suffixes[0]} (nothing was written)", err=True)
        sys.exit(1)
    loaded = _load(subjects_dir, only, f"{target} was not written", _links_of(linked_bank))
    folders = [Path(p).resolve() for subject in loaded for p in subject.subject.question_paths]
    if target.suffix.lower() in formats.READERS and any(target.resolve().is_relative_to(f) for f in folders):
        click.echo(f"error: {target}: a subject's questions folder is read by the build, which would read these "
                   "questions twice; write the export elsewhere (nothing was written)", err=True)
        sys.exit(1)
    items = items_from_subjects(loaded)
    try:
        export(format_name, items, target)
    except OSError as error:
        click.echo(f"error: cannot write {target}: {error.strerror or error}", err=True)
        sys.exit(1)
    click.echo(f"wrote {target}: {_count(len(items), 'question')}")
    images = sum(1 for item in items if item.question.image)
    if format_name == "gift" and images:
        click.echo(f"{_count(images, 'image')} left out: GIFT cannot carry images (Moodle XML and Anki can)")


@cli.command()
@click.argument("sources", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The YAML set to write, in a subject's questions/ folder: questions/SET.yaml.")
@click.option("--subject", "-s", "subject_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The subject folder whose topics and documents the questions are checked with. "
              "Default: the folder above the questions/ folder of --output.")
@click.option("--force", is_flag=True, help="Replace the output file (and images) if they exist.")
def convert(sources: tuple[Path, ...], output: Path, subject_dir: Path | None, force: bool) -> None:
    """Write question files of any format CalciQuiz reads (by suffix) as one YAML set to finish by hand."""
    from calciquiz.core.convert import convert as convert_files

    try:
        done = convert_files(list(sources), output, subject_dir, force)
    except InputError as error:
        _report_problems(error, f"{output} was not written")
    except OSError as error:
        click.echo(f"error: cannot write {output}: {error.strerror or error}; {output} was not written", err=True)
        sys.exit(1)
    _report_skipped(done.skipped)
    for problem in done.renamed:
        click.echo(f"renamed: {problem}", err=True)
    images = f" and {_count(len(done.images), 'image')}" if done.images else ""
    click.echo(f"wrote {done.output}: {_count(done.questions, 'question')}{images} for {done.subject.id}")
    for source in _read_by_the_build(sources, done):
        click.echo(f"now move {source} out of {source.parent}: {done.output.name} holds its questions, and a build "
                   "would read both (every id twice)")
    if done.unfinished:
        click.echo(f"{_count(done.unfinished, 'question')} marked 'to write:' "
                   f"{'lacks' if done.unfinished == 1 else 'lack'} topics or teaching text; "
                   f"calciquiz lint -s {done.subject.folder} lists them")


def _read_by_the_build(sources: tuple[Path, ...], done) -> list[Path]:
    """The converted files that lie in the subject's questions folders, where the build reads them too."""
    folders = [Path(p).resolve() for p in done.subject.question_paths]
    if not any(Path(done.output).resolve().is_relative_to(f) for f in folders):
        return []  # the set went elsewhere: the sources are still the build's only copy of these questions
    return [Path(s) for s in sources if Path(s).resolve() != Path(done.output).resolve()
            and any(Path(s).resolve().is_relative_to(f) for f in folders)]


@cli.command(name="coverage")
@with_inputs
@linked_bank_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON for scripts.")
def coverage_command(subjects_dir: Path | None, only: tuple[str, ...], linked_bank: Path | None,
                     as_json: bool) -> None:
    """Report per subject: questions per topic, kind and document, uncited teaching passages, key balance."""
    import json

    from calciquiz.core.coverage import render_text, subject_coverage

    loaded = _load(subjects_dir, only, "fix these before coverage can be measured", _links_of(linked_bank))
    reports = [subject_coverage(subject) for subject in loaded]
    if as_json:
        click.echo(json.dumps({"subjects": [r.to_json() for r in reports]}, indent=2))
    else:
        click.echo(("\n\n" + "=" * 40 + "\n\n").join(render_text(r) for r in reports))


def _progress_path() -> Path:
    """The progress file's path; the data folder is created on the way, or named if it cannot be."""
    try:
        return paths.progress_path()
    except OSError as error:
        folder = os.environ.get(paths.DATA_DIR_ENV) or error.filename
        click.echo(f"error: cannot create the data folder {folder}: {error.strerror or error}; "
                   "use --data-dir for another folder", err=True)
        sys.exit(1)


def _open_progress():
    from calciquiz.core import safekeeping
    from calciquiz.core.progress import ProgressStore

    try:
        return ProgressStore(_progress_path())
    except safekeeping.ProgressUnwritable as error:
        click.echo(f"error: {error}", err=True)
    except safekeeping.ProgressInUse as error:
        click.echo(f"error: {error} Close it first.", err=True)
    except safekeeping.ProgressDamaged as error:
        kept = f" It was set aside as {error.set_aside}." if error.set_aside else ""
        click.echo(f"error: {error}.{kept} Run 'calciquiz restore' to bring back the newest good backup.", err=True)
    sys.exit(1)


@cli.command()
def backup() -> None:
    """Make a backup of your progress now (backups are also made automatically)."""
    from calciquiz.core import safekeeping

    store = _open_progress()
    try:
        made = store.backup()
    except safekeeping.ProgressUnwritable as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
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

    progress = _progress_path()
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
    except safekeeping.ProgressUnwritable as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    try:
        previous = safekeeping.restore(chosen, progress)
    except (safekeeping.ProgressDamaged, safekeeping.ProgressUnwritable) as error:
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
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        count = len(error.problems) + error.more
        if error.more:
            click.echo(f"error: … and {error.more} more", err=True)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found; nothing was changed", err=True)
        sys.exit(1)
    finally:
        store.close()
    for conflict in report.conflicts[:LISTED]:
        click.echo(f"warning: {conflict}", err=True)
    if len(report.conflicts) > LISTED:
        click.echo(f"warning: … and {len(report.conflicts) - LISTED} more reviews that differ", err=True)
    different = (f"{len(report.conflicts)} different from the one here (kept yours), " if report.conflicts
                 else "")
    click.echo(f"merged {source}: {report.reviews_added} reviews added, {report.reviews_already_there} already "
               f"present, {different}{report.notes_updated} notes and {report.flags_added} flags taken, "
               f"{report.schedules_rebuilt} schedules rebuilt")


def main() -> None:
    # A large build reads in worker processes (core.import_pool); in a frozen app on Windows a
    # worker starts as this program, and this call makes it run the worker instead of the CLI.
    multiprocessing.freeze_support()
    cli(prog_name="calciquiz")
