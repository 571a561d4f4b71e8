"""What counts as web-page noise in the received documents.

The documents are copies of web pages. Their adverts, bylines, phone numbers and author
disclosures are not teaching text: they stay in the file as received and are left out of
the bank's passages when it is built.
"""
from __future__ import annotations

import re

# A line matching one of these is an advert, a call to action, a byline or a copyright note.
NOISE_LINE = re.compile(
    "|".join(
        [
            r"\bbook (?:(?:a|an|your|free|doctor)\s+)*appointment",
            r"\bschedule appointment\b",
            r"\bmake an appointment\b",
            r"\bsecond opinion\b",
            r"\brequest (?:a )?call ?back\b",
            r"\bcallback\b",
            r"\bwhats ?app\b",
            r"\bhealth packages\b",
            r"\bfind (?:our )?(?:specialists|doctors)\b",
            r"^feeling unwell\?",
            r"^still have questions\?",
            r"\bspeak with our experts\b",
            r"\bconsult our expert",
            r"\bour specialists are\b",
            r"\bprioritize your well-being\b",
            r"\btake control of your health\b",
            r"\bcall us now\b",
            r"^click here\b",
            r"^written by\b",
            r"\bmedically reviewed by\b",
            r"^author:",
            r"^updated:",
            r"\blanguage editions\b",
            r"\bcopyright\b",
            r"©",
            r"^image of\b",
            r"^disclosure:",
            r"\bis a member of the following medical societies\b",
            r"^\+?[\d][\d\s\-()]{7,}$",  # a phone number alone on a line
        ]
    ),
    re.IGNORECASE,
)

# A heading that opens a section made only of advert or disclosure text.
NOISE_SECTION = re.compile(
    r"^(?:our experience in treating\b|contributor information|specialty editor board"
    r"|chief editor$|additional contributors$|disclosures?$)",
    re.IGNORECASE,
)

# Lines of a reference list: numbered citations, DOIs, PubMed markers, citation fragments.
REFERENCE_LINE = re.compile(
    r"\[Medline\]|\bdoi:|\[Internet\]|^In:|^\d{4} [A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?;"
    r"|^[A-Z][A-Za-z'\-]+ [A-Z]{1,3}(?:, [A-Z][A-Za-z'\-]+ [A-Z]{1,3})*\.\s?\S",
)


def is_noise_line(line: str) -> bool:
    return bool(NOISE_LINE.search(line.strip().lstrip("•").strip()))


def opens_noise_section(heading: str) -> bool:
    return bool(NOISE_SECTION.search(heading.strip()))


def is_reference_line(line: str) -> bool:
    return bool(REFERENCE_LINE.search(line.strip()))
