"""Faults found by trying the importers and exports as a hostile user and as a new instructor would."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from calciquiz.cli import cli
from tests.core.test_moodle_xml import build, subject  # noqa: F401  (the subject fixture)
from tests.helpers import query

SKIP = "(CalciQuiz asks single-best-answer questions only)"
MOST_COMMON = ('<questiontext format="html"><text>Which type of calcinosis cutis is the most common?</text>'
               "</questiontext><single>true</single>"
               '<answer fraction="100"><text>Dystrophic</text></answer>'
               '<answer fraction="0"><text>Metastatic</text></answer>')


def xml_file(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n', encoding="utf-8")
    return path


def test_a_skipped_questions_huge_type_and_name_are_shortened_in_its_message(subject: Path,  # noqa: F811
                                                                               tmp_path: Path):
    # Printed whole, a 100,000-character type attribute would be a 100 KB line in the terminal.
    body = (f'<question type="{"x" * 100_000}"><name><text>{"N" * 5_000}</text></name></question>\n'
            f'<question type="multichoice"><name><text>Most common</text></name>{MOST_COMMON}</question>')
    code, stderr, _ = build(subject, xml_file(tmp_path, "odd.xml", body))
    assert code == 0
    where = subject / "questions" / "odd.xml"
    assert stderr[1] == f"skipped: {where}:3: {'x' * 59}… question '{'N' * 59}…' {SKIP}"


def test_a_key_beyond_the_tenth_option_is_reported_as_too_many_options(subject: Path, tmp_path: Path):  # noqa: F811
    # Not as "missing field(s): answer", which sends the instructor looking for an answer that is there.
    answers = "".join(f'<answer fraction="{100 if i == 11 else 0}"><text>Option {i}</text></answer>' for i in range(12))
    body = ('<question type="multichoice"><name><text>Twelve</text></name><questiontext><text>Which one?</text>'
            f"</questiontext>{answers}</question>")
    code, stderr, _ = build(subject, xml_file(tmp_path, "twelve.xml", body))
    assert code == 1
    assert stderr[1:-1] == [f"error: {subject / 'questions' / 'twelve.xml'}:3: question 'twelve': at most 10 options, "
                            "found 12"]


def test_an_image_the_question_text_shows_but_the_file_does_not_hold_is_an_error(subject: Path,  # noqa: F811
                                                                                  tmp_path: Path):
    # Moodle writes each image it shows as a <file>; without it the resident would see the question without it.
    body = MOST_COMMON.replace("most common?</text>",
                               'most common? &lt;img src="@@PLUGINFILE@@/deposit.png"&gt;</text>')
    body = f'<question type="multichoice"><name><text>Most common</text></name>{body}</question>'
    code, stderr, _ = build(subject, xml_file(tmp_path, "lost.xml", body))
    assert code == 1
    assert stderr[1:-1] == [f"error: {subject / 'questions' / 'lost.xml'}:3: the question text shows image "
                            "'deposit.png', but no <file name=\"deposit.png\"> holds it"]


def test_the_moodle_xml_export_leaves_out_characters_xml_cannot_hold_and_reads_back(subject: Path,  # noqa: F811
                                                                                     tmp_path: Path):
    # U+001F is allowed in a question's text but not in XML 1.0: written raw, Moodle and our reader refuse the file.
    (subject / "questions" / "set.yaml").write_text(
        'title: Odd\nquestions:\n  - id: odd\n    stem: "Which type\\x1f is the\\x0b most common?"\n'
        "    options: [{text: Dystrophic}, {text: Metastatic}]\n    answer: A\n"
        "    evidence: [{document: medscape, quote: Dystrophic calcinosis cutis is most common.}]\n", encoding="utf-8")
    exported = tmp_path / "out.xml"
    result = CliRunner().invoke(cli, ["export", "moodle-xml", str(exported), "-s", str(subject)])
    assert result.exit_code == 0, result.output
    (subject / "questions" / "set.yaml").unlink()
    code, stderr, bank = build(subject, exported)
    assert code == 0, stderr
    assert query(bank, "select local_id, stem from questions") == [("odd", "Which type is the most common?")]


CSV_HEADER = "id,stem,a,b,answer"
CSV_ROW = "cr1,Which type of calcinosis cutis is the most common?,Dystrophic,Metastatic,A"


def test_a_csv_with_old_mac_line_ends_builds(subject: Path, tmp_path: Path):  # noqa: F811
    # Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR.
    path = tmp_path / "mac.csv"
    path.write_bytes(f"{CSV_HEADER}\r{CSV_ROW}\r".encode())
    code, stderr, bank = build(subject, path)
    assert (code, stderr) == (0, [f"subjects: {subject}"])
    assert query(bank, "select local_id, line from questions") == [("cr1", 2)]


def test_unknown_columns_are_each_named_once_and_at_most_ten(subject: Path, tmp_path: Path):  # noqa: F811
    # A file with the wrong delimiter or a hostile header: each unknown name once, and not 100,000 lines of them.
    path = tmp_path / "wide.csv"
    path.write_text(CSV_HEADER + "," + ",".join(f"c{i}" for i in range(100_000)) + "," + "Z" * 500 + "\n",
                    encoding="utf-8")
    code, stderr, _ = build(subject, path)
    where = subject / "questions" / "wide.csv"
    assert code == 1
    assert stderr[1:-1] == ([f"error: {where}:1: unknown column 'c{i}'; did you mean 'c'?" for i in range(10)]
                            + [f"error: {where}:1: 99,991 more unknown columns (see the CSV columns in the README)"])


def test_a_csv_with_another_delimiter_in_its_header_names_each_problem_once(subject: Path,  # noqa: F811
                                                                            tmp_path: Path):
    path = tmp_path / "mixed.csv"
    path.write_text("id,stem;a,b;answer\nm1,Which?;x,y;A\n", encoding="utf-8")
    code, stderr, _ = build(subject, path)
    where = subject / "questions" / "mixed.csv"
    assert code == 1
    assert stderr[1:-1] == [f"error: {where}:1: unknown column 'stem;a'; did you mean 'stem'?",
                            f"error: {where}:1: unknown column 'b;answer'; did you mean 'answer'?",
                            f"error: {where}:1: missing column(s): stem, a, b, answer (a question needs a stem, "
                            "options a, b, ... and its answer)"]


AIKEN = "Which type of calcinosis cutis is the most common?\nA. Dystrophic\nB. Metastatic\nC. Idiopathic\nANSWER: A\n"


def test_an_instructor_follows_the_accept_hint_and_then_the_convert_hint_to_a_set_that_builds(
        subject: Path, tmp_path: Path, monkeypatch):  # noqa: F811
    # The hint's command once wrote questions/aiken.yaml under the working folder (not a subject: refused),
    # and convert left the Aiken file beside its YAML set, so the next build failed on every id twice.
    aiken = subject / "questions" / "aiken.txt"
    aiken.write_text(AIKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke
    accept = ["link", "which-type-of-calcinosis-cutis-is-the-most-common", "--accept", "-s", str(subject)]
    result = run(cli, accept)
    hint = (f"calciquiz convert {aiken} -o {aiken.with_suffix('.yaml')}, then move aiken.txt out of {aiken.parent} "
            "(the YAML set replaces it)")
    assert result.exit_code == 1
    assert (f"error: {aiken}:1: question 'which-type-of-calcinosis-cutis-is-the-most-common' is not in a YAML set; convert it first: "
            f"{hint}") in result.stderr
    result = run(cli, ["convert", str(aiken), "-o", str(aiken.with_suffix(".yaml"))])
    assert result.exit_code == 0, result.output
    assert (f"now move {aiken} out of {aiken.parent}: aiken.yaml holds its questions, and a build would read both "
            "(every id twice)") in result.stdout.splitlines()
    aiken.rename(tmp_path / "aiken.txt")
    assert run(cli, accept).exit_code == 0
    code, stderr, bank = build(subject)
    assert (code, stderr) == (0, [f"subjects: {subject}"])
    assert query(bank, "select question_id, quote, auto from evidence") == [
        ("calcinosis-cutis/which-type-of-calcinosis-cutis-is-the-most-common", "Dystrophic calcinosis cutis is most common.", 0)]


def export(subject: Path, format_name: str, target: Path):
    return CliRunner().invoke(cli, ["export", format_name, str(target), "-s", str(subject)])


def test_an_export_named_for_another_format_is_refused_and_the_file_is_kept(subject: Path,  # noqa: F811
                                                                             tmp_path: Path):
    # `calciquiz export anki bank.sqlite` (a slip of the shell's history) replaced the bank with a deck.
    (subject / "questions" / "set.txt").write_text(AIKEN, encoding="utf-8")
    bank = tmp_path / "bank.sqlite"
    bank.write_bytes(b"the bank")
    result = export(subject, "anki", bank)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (f"error: {bank}: an Anki deck is written to a .apkg file; name it "
                                              "FILE.apkg (nothing was written)")
    assert bank.read_bytes() == b"the bank"
    assert export(subject, "gift", tmp_path / "deck.txt").exit_code == 0  # Moodle imports GIFT from .txt too


def test_an_export_into_a_questions_folder_is_refused(subject: Path):  # noqa: F811
    # The next build would read the exported questions a second time: every id twice.
    (subject / "questions" / "set.txt").write_text(AIKEN, encoding="utf-8")
    target = subject / "questions" / "all.gift"
    result = export(subject, "gift", target)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (f"error: {target}: a subject's questions folder is read by the build, "
                                              "which would read these questions twice; write the export elsewhere "
                                              "(nothing was written)")
    assert not target.exists()


def test_an_export_never_replaces_a_device_or_other_special_file(subject: Path, tmp_path: Path):  # noqa: F811
    # The export writes a temporary file and renames it over the target: over /dev/null that replaced the device.
    import os
    (subject / "questions" / "set.txt").write_text(AIKEN, encoding="utf-8")
    fifo = tmp_path / "pipe.gift"
    os.mkfifo(fifo)
    result = export(subject, "gift", fifo)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (f"error: cannot write {fifo}: it is not a regular file (a device, "
                                              "pipe or socket)")
    assert fifo.is_fifo()


def test_an_export_is_readable_as_any_new_file_is(subject: Path, tmp_path: Path):  # noqa: F811
    # A deck put on a shared drive for residents was readable by its writer only (the temporary file's 0600).
    import os
    (subject / "questions" / "set.txt").write_text(AIKEN, encoding="utf-8")
    old = os.umask(0o022)
    try:
        assert export(subject, "anki", tmp_path / "deck.apkg").exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "deck.apkg").stat().st_mode & 0o777 == 0o644


def test_a_question_of_a_million_empty_elements_is_refused_at_its_line(subject: Path, tmp_path: Path):  # noqa: F811
    # Each element is kept until its question ends: 120 MB of '<a/>' took 8 GB of memory and a minute.
    body = f'<question type="multichoice"><name><text>Many</text></name><questiontext>{"<a/>" * 1_000_000}' \
           "</questiontext></question>"
    code, stderr, _ = build(subject, xml_file(tmp_path, "many.xml", body))
    assert code == 1
    assert stderr[1:-1] == [f"error: {subject / 'questions' / 'many.xml'}:3: a question with more than 10,000 "
                            "elements; Moodle writes a few dozen"]


def test_a_gift_export_says_how_many_images_it_left_out(subject: Path, tmp_path: Path):  # noqa: F811
    # GIFT has no place for an image: the question is exported without it, and the instructor is told.
    from tests.helpers import tiny_png
    (subject / "questions" / "deposit.png").write_bytes(tiny_png())
    (subject / "questions" / "set.yaml").write_text(
        "title: Images\nquestions:\n  - id: with-image\n    stem: Which type is the most common?\n"
        "    image: deposit.png\n    options: [{text: Dystrophic}, {text: Metastatic}]\n    answer: A\n"
        "    evidence: [{document: medscape, quote: Dystrophic calcinosis cutis is most common.}]\n", encoding="utf-8")
    result = export(subject, "gift", tmp_path / "out.gift")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"wrote {tmp_path / 'out.gift'}: 1 question",
                                          "1 image left out: GIFT cannot carry images (Moodle XML and Anki can)"]


def test_a_utf16_file_is_named_as_such(subject: Path, tmp_path: Path):  # noqa: F811
    # Notepad's "Unicode" is UTF-16: "not UTF-8 (line 1)" left the instructor looking for a bad character on line 1.
    import codecs
    gift, csv_file = tmp_path / "notepad.gift", tmp_path / "sheet.csv"
    gift.write_bytes(codecs.BOM_UTF16_LE + "Which? {=Dystrophic ~Metastatic}\n".encode("utf-16-le"))
    csv_file.write_bytes(codecs.BOM_UTF16_LE + f"{CSV_HEADER}\n{CSV_ROW}\n".encode("utf-16-le"))
    code, stderr, _ = build(subject, gift, csv_file)
    assert code == 1
    assert stderr[1:-1] == [
        f"error: {subject / 'questions' / 'notepad.gift'}:1: file is UTF-16 (it starts with a UTF-16 byte-order mark); "
        "save it as UTF-8",
        f"error: {subject / 'questions' / 'sheet.csv'}:1: file is UTF-16 (it starts with a UTF-16 byte-order mark); "
        "save it as \"CSV UTF-8\" (Excel) or with the UTF-8 character set"]


def test_accept_on_a_question_written_on_one_line_names_it_and_the_evidence_to_add(subject: Path):  # noqa: F811
    # "the question is written on one line; add its evidence by hand" named neither the file nor the quote.
    path = subject / "questions" / "flow.yaml"
    text = ('title: Flow\nquestions:\n  - {id: flow, stem: "Which type of calcinosis cutis is the most common?", '
            "options: [{text: Dystrophic}, {text: Metastatic}], answer: A}\n")
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["link", "flow", "--accept", "-s", str(subject)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: {path}:3: question 'flow' is written on one line; add its evidence by hand: "
        'evidence: [{document: medscape, quote: "Dystrophic calcinosis cutis is most common."}]')
    assert path.read_text(encoding="utf-8") == text


def test_a_question_no_passage_supports_is_told_how_to_add_evidence_in_its_own_format(subject: Path,  # noqa: F811
                                                                                       tmp_path: Path):
    # "add `evidence` by hand" means nothing to an instructor with a spreadsheet or a Moodle export.
    unsupported = "Which enzyme is deficient in Fabry disease?"
    csv_file = tmp_path / "sheet.csv"
    csv_file.write_text(f"{CSV_HEADER}\nfabry-sheet,{unsupported},Alpha-galactosidase A,Hexosaminidase A,A\n"
                        f"{CSV_ROW}\n", encoding="utf-8")
    gift = tmp_path / "moodle.gift"
    gift.write_text(f"::Fabry::{unsupported} {{=Alpha-galactosidase A ~Hexosaminidase A}}\n", encoding="utf-8")
    code, stderr, _ = build(subject, csv_file, gift)
    folder = subject / "questions"
    assert code == 0
    assert stderr[1:3] == [
        f"skipped: {folder / 'moodle.gift'}:1: question 'fabry': no supporting passage found in the documents of "
        "calcinosis-cutis; add a line '// [evidence:DOCUMENT] QUOTE' above it (left out of the bank)",
        f"skipped: {folder / 'sheet.csv'}:2: question 'fabry-sheet': no supporting passage found in the documents of "
        "calcinosis-cutis; fill in its document and quote cells (left out of the bank)"]


def test_a_passage_holding_a_nul_is_never_quoted_by_the_linker(subject: Path, tmp_path: Path):  # noqa: F811
    # The build stored a quote holding the NUL; `link --accept` then wrote one no YAML reader takes back.
    document = next((subject / "documents").glob("003_*.txt"))
    text = document.read_text(encoding="utf-8")
    document.write_text(text.replace("Dystrophic calcinosis cutis is most common.",
                                     "Dystrophic calcinosis cutis is most common.\0"), encoding="utf-8")
    (subject / "questions" / "a.txt").write_text(AIKEN, encoding="utf-8")
    code, stderr, bank = build(subject)
    assert code == 0, stderr
    assert query(bank, "select count(*) from evidence where instr(quote, char(0)) > 0") == [(0,)]


def test_a_gift_comment_of_unclosed_id_markers_is_read_in_one_pass(subject: Path, tmp_path: Path):  # noqa: F811
    # Each "[id:" was matched to the end of its line: 50,000 of them took 37 s, 2,000,000 (14 MB) never ended.
    # A marker ends at the next '[' now, so "[id:[id:x]" is the id x, as the innermost marker says.
    gift = tmp_path / "comments.gift"
    gift.write_text("// [id:[tag:" * 10_000 + "\n// [id:[id:gift-most-common]\n"
                    "Which type of calcinosis cutis is the most common? {=Dystrophic ~Metastatic}\n", encoding="utf-8")
    code, stderr, bank = build(subject, gift)
    assert (code, stderr) == (0, [f"subjects: {subject}"])
    assert query(bank, "select local_id from questions") == [("gift-most-common",)]
