"""Markdown documents are split by their markup and hold the text a reader sees, never the markup."""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

from calciquiz.core.documents import MAX_MARKDOWN_BYTES, load_documents, locate_quote, split_passages
from calciquiz.core.markdown import MAX_INLINE_NESTING
from calciquiz.core.problems import InputError

ROOT = Path(__file__).resolve().parents[2]

GUIDE = """\
# Calcinosis *cutis*

Calcinosis cutis is **calcium** in the skin,
seen as `firm papules` (see [the review](https://example.org/review)).

## Types

The main types include:

- Dystrophic calcification is the **most common** type.
- _Metastatic_ calcification follows high __calcium__ or phosphate.
* Iatrogenic follows procedures.

![Elbow nodules](elbow.png) A <b>firm</b> nodule on the elbow.

Treatment
---------

1. Treat the underlying disease.
2. Remove painful deposits.
"""


def markdown_folder(tmp_path: Path, text: str, name: str = "guide.md", not_taught: str = "") -> Path:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "catalog.yaml").write_text(
        f"documents:\n  - id: guide\n    file: {name}\n    title: Guide\n{not_taught}", encoding="utf-8")
    return folder


def rows(passages) -> list[tuple[str, str, str, int]]:
    return [(p.kind, p.section, p.text, p.line) for p in passages]


def test_a_markdown_document_is_split_by_its_markup_and_holds_the_shown_text(tmp_path: Path):
    (document,) = load_documents(markdown_folder(tmp_path, GUIDE))
    assert rows(document.passages) == [
        ("heading", "Calcinosis cutis", "Calcinosis cutis", 1),
        ("text", "Calcinosis cutis", "Calcinosis cutis is calcium in the skin, seen as firm papules (see the review).",
         3),
        ("heading", "Types", "Types", 6),
        ("text", "Types",
         "The main types include:\n"
         "• Dystrophic calcification is the most common type.\n"
         "• Metastatic calcification follows high calcium or phosphate.", 8),
        # A new bullet character starts a new list (CommonMark), which has no lead-in of its own.
        ("text", "Types", "• Iatrogenic follows procedures.", 12),
        # An image shows its alt text and is never loaded; an HTML tag is shown as written.
        ("text", "Types", "Elbow nodules A <b>firm</b> nodule on the elbow.", 14),
        ("heading", "Treatment", "Treatment", 16),
        ("text", "Treatment", "1. Treat the underlying disease.\n2. Remove painful deposits.", 19),
    ]


@pytest.mark.parametrize("name", ["guide.markdown", "GUIDE.MD"])
def test_both_markdown_extensions_are_read_as_markdown(tmp_path: Path, name: str):
    (document,) = load_documents(markdown_folder(tmp_path, "# Types\n\nThe **most common** type.\n", name))
    assert rows(document.passages) == [("heading", "Types", "Types", 1), ("text", "Types", "The most common type.", 3)]


def test_a_text_document_is_not_read_as_markdown(tmp_path: Path):
    (document,) = load_documents(markdown_folder(tmp_path, "# Types\n\nThe **most common** type.\n", "guide.txt"))
    assert rows(document.passages) == [("text", "", "# Types", 1), ("text", "", "The **most common** type.", 3)]


def test_a_quote_matches_the_shown_text_of_emphasis_code_and_links(tmp_path: Path):
    (document,) = load_documents(markdown_folder(tmp_path, GUIDE))
    passage, start, end = locate_quote(document, "calcification is the most common type")
    assert (passage.ordinal, passage.text[start:end]) == (3, "calcification is the most common type")
    passage, start, end = locate_quote(document, "seen as firm papules (see the review)")
    assert (passage.ordinal, passage.text[start:end]) == (1, "seen as firm papules (see the review)")


def test_a_quote_written_with_the_markup_is_not_the_shown_text(tmp_path: Path):
    (document,) = load_documents(markdown_folder(tmp_path, GUIDE))
    assert locate_quote(document, "the **most common** type", hint=False) == (
        "quote not found word for word in document 'guide'")


def test_a_quote_that_kept_its_markdown_markup_is_told_to_leave_it_out(tmp_path: Path):
    (document,) = load_documents(markdown_folder(tmp_path, GUIDE))
    reason = locate_quote(document, "Dystrophic calcification is the **most common** type.")
    assert reason == ("quote not found word for word in document 'guide'; it keeps Markdown markup, and quotes "
                      "match the text as shown: write \"Dystrophic calcification is the most common type.\"")
    reason = locate_quote(document, "seen as `firm papules` (see [the review](https://example.org/review))")
    assert reason.endswith('write "seen as firm papules (see the review)"')


def test_a_quote_across_two_markdown_passages_is_told_apart_from_a_missing_one(tmp_path: Path):
    (document,) = load_documents(markdown_folder(tmp_path, GUIDE))
    assert locate_quote(document, "firm papules (see the review). Types") == (
        "quote spans more than one passage or includes web-page noise; quote one paragraph or list")


def test_a_not_taught_quote_in_the_catalog_matches_the_shown_text(tmp_path: Path):
    entry = ("    not_taught:\n      - quote: Elbow nodules A <b>firm</b> nodule on the elbow.\n"
             "        reason: A picture caption, not a teaching point.\n")
    (document,) = load_documents(markdown_folder(tmp_path, GUIDE, not_taught=entry))
    assert document.not_taught == {5: "A picture caption, not a teaching point."}


def test_a_not_taught_quote_written_with_emphasis_marks_names_its_catalog_line(tmp_path: Path):
    entry = "    not_taught:\n      - quote: Calcinosis cutis is **calcium**\n        reason: Background.\n"
    folder = markdown_folder(tmp_path, GUIDE, not_taught=entry)
    with pytest.raises(InputError) as caught:
        load_documents(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder / 'catalog.yaml'}:6: not_taught quote not found word for word in document 'guide'; it keeps "
        "Markdown markup, and quotes match the text as shown: write \"Calcinosis cutis is calcium\""]


def test_block_quotes_code_fences_breaks_and_rules():
    text = (
        "Setext heading\n"
        "==============\n"
        "\n"
        "> Quoted **advice**\n"
        "> on two lines.\n"
        "\n"
        "```\n"
        "dose  =  2   mg\n"
        "\n"
        "<script>alert(1)</script>\n"
        "```\n"
        "\n"
        "***\n"
        "\n"
        "A line with a hard break  \n"
        "and \\*escaped stars\\* and &amp; an entity.\n"
        "\n"
        "<div>Raw *HTML* block</div>\n"
    )
    assert rows(split_passages("d", text, markdown=True)) == [
        ("heading", "Setext heading", "Setext heading", 1),
        ("text", "Setext heading", "Quoted advice on two lines.", 4),
        ("text", "Setext heading", "dose = 2 mg\n<script>alert(1)</script>", 8),
        ("text", "Setext heading", "A line with a hard break\nand *escaped stars* and & an entity.", 15),
        ("text", "Setext heading", "<div>Raw *HTML* block</div>", 18),
    ]


def test_nested_lists_are_flattened_and_numbers_follow_the_list_start():
    text = (
        "Steps to follow:\n"
        "\n"
        "3. First step\n"
        "   - a detail\n"
        "     over two lines\n"
        "1. Second step\n"
        "\n"
        "   with a second paragraph\n"
    )
    assert rows(split_passages("d", text, markdown=True)) == [
        ("text", "", "Steps to follow:\n3. First step\n• a detail over two lines\n4. Second step with a second "
                     "paragraph", 1),
    ]


def test_web_page_noise_is_left_out_of_markdown_as_of_plain_text():
    text = (
        "# Calcinosis\n"
        "\n"
        "Calcium in the skin.\n"
        "Book Appointment now\n"
        "\n"
        "- Dystrophic is common.\n"
        "- Request a callback\n"
        "\n"
        "## Disclosures\n"
        "\n"
        "Dr X has no conflicts.\n"
        "\n"
        "## References\n"
        "\n"
        "1. Reiter N, El-Shabrawi L. Calcinosis cutis. Am J Clin Dermatol. 2011;12:1-10. [Medline].\n"
        "2. Walsh JS, Fairley JA. Calcifying disorders of the skin. J Am Acad Dermatol. 1995;33:693-706.\n"
    )
    assert rows(split_passages("d", text, markdown=True)) == [
        ("heading", "Calcinosis", "Calcinosis", 1),
        ("text", "Calcinosis", "Calcium in the skin.", 3),
        ("text", "Calcinosis", "• Dystrophic is common.", 6),
        ("heading", "References", "References", 13),
        ("reference", "References",
         "1. Reiter N, El-Shabrawi L. Calcinosis cutis. Am J Clin Dermatol. 2011;12:1-10. [Medline].\n"
         "2. Walsh JS, Fairley JA. Calcifying disorders of the skin. J Am Acad Dermatol. 1995;33:693-706.", 15),
    ]


def test_inline_markup_nested_past_the_limit_is_shown_as_written_never_left_out():
    deep = MAX_INLINE_NESTING + 10
    text = "[" * deep + "deep *text*" + "]" * deep + "(x)\n\n" + "> " * 30 + "quoted thirty deep\n"
    assert [p.text for p in split_passages("d", text, markdown=True)] == [
        "[" * deep + "deep text" + "]" * deep + "(x)", "quoted thirty deep"]


def repeated(unit: str, size: int = MAX_MARKDOWN_BYTES) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def backtick_runs(size: int = MAX_MARKDOWN_BYTES) -> str:
    """Runs of 1, 2, 3, ... backticks, none closed by another of its length."""
    runs, length, total = [], 1, 0
    while total < size:
        runs.append("`" * length + " ")
        total += length + 1
        length += 1
    return "".join(runs)[:size]


# The slowest text found (every repeated unit of up to 3 of the characters []()!`*_<>#&:-=|~ space and
# newline, and 3,000 random longer ones): every `[` or `![` opens a link the parser looks ahead to close.
# At the 200,000-byte limit `![` took 2.3 s in a plain process and 4.7 s under pytest (500,000 bytes: 5.8
# and 11.8 s). 2 MB of `[` took 51 s when inline markup could nest 100 deep, as far as each `[` looks ahead.
@pytest.mark.parametrize("text", [repeated("!["), repeated("\n[**"), backtick_runs()],
                         ids=["image-openers", "link-openers-on-lines", "backtick-runs"])
def test_a_hostile_markdown_document_at_its_size_limit_is_read_within_seconds(tmp_path: Path, text: str):
    folder = markdown_folder(tmp_path, text)
    assert (folder / "guide.md").stat().st_size == MAX_MARKDOWN_BYTES
    started = time.perf_counter()
    (document,) = load_documents(folder)
    locate_quote(document, "a quote that is nowhere")  # and its whole shown text, where a missing quote looks
    assert time.perf_counter() - started < 10


def test_a_markdown_document_over_its_limit_is_refused_though_plain_text_of_that_size_is_read(tmp_path: Path):
    text = "A long handout.\n" * (MAX_MARKDOWN_BYTES // 16 + 1)
    assert len(text) > MAX_MARKDOWN_BYTES
    folder = markdown_folder(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_documents(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder / 'catalog.yaml'}:3: document file 'guide.md' is larger than {MAX_MARKDOWN_BYTES:,} bytes"]
    (tmp_path / "plain").mkdir()
    (document,) = load_documents(markdown_folder(tmp_path / "plain", text, "guide.txt"))
    assert document.passages


def shipped_documents_folder() -> Path:
    # The documents move under subjects/ in the same issue; either place holds the same files.
    moved = ROOT / "subjects" / "calcinosis-cutis" / "documents"
    return moved if moved.is_dir() else ROOT / "resources" / "documents"


# The passages of the shipped plain-text documents before Markdown was read: (count, sha256 of
# [[ordinal, kind, section, text, line], ...] as JSON). Reading Markdown must not change one of them.
PLAIN_TEXT_PASSAGES = {
    "000_be221f41649512fd.txt": (54, "999b08eb7e730385c73a1c0f0c1c572f07a621faeeb034f091fd98a03d2e3d90"),
    "001_d4f407ffa322be03.txt": (38, "906df8490e18e3bbbc5d0370e372027c69bdcc927d7d7c05e0ad9f6b7254c96e"),
    "002_eb1485df0b20179c.txt": (62, "3c4dc75d7790e34bc87e5b6e58dfd4f15ebbd6dcae6e13e57f55eb01cc86e248"),
    "003_70c033e998fee263.txt": (43, "4c24cd8f6ad4225cf67ed4fe43d28d98a821940aa6787f22dd4c5eab25710912"),
    "004_97542b4c4c4f3cc7.txt": (45, "2a305020343a4cdd0be7e4aaaec5516852ebb7359f2ac287baa1064842f0e617"),
}


def test_the_shipped_plain_text_documents_give_the_passages_they_gave_before():
    found = {}
    for document in load_documents(shipped_documents_folder()):
        listed = [[p.ordinal, p.kind, p.section, p.text, p.line] for p in document.passages]
        digest = hashlib.sha256(json.dumps(listed, ensure_ascii=False).encode()).hexdigest()
        found[document.file.name] = (len(listed), digest)
    assert found == PLAIN_TEXT_PASSAGES
