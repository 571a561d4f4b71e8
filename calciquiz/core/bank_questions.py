"""The bank's subjects, questions and the documents behind them, as the collection's screens read them (col.questions)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from calciquiz.core.bank import DocumentInfo, SearchHit, SetInfo, SubjectInfo
from calciquiz.core.documents import Passage
from calciquiz.core.questions import Question

if TYPE_CHECKING:
    from calciquiz.core.collection import Collection


class BankQuestions:
    """Read-only: subjects, their sets, questions, their images, the source documents, passages and search."""

    def __init__(self, collection: Collection):
        self.collection = collection

    @property
    def _bank(self):
        return self.collection.bank

    def question(self, question_id: str) -> Question:
        return self._bank.question(question_id)

    def count(self, subject: str | None = None) -> int:
        return self._bank.question_count(subject)

    def subjects(self) -> list[SubjectInfo]:
        """The bank's subjects in order, each with its id, title and topics."""
        return self._bank.subjects()

    def sets(self, subject: str | None = None) -> list[SetInfo]:
        """The question sets (of one subject, or all), each with its title and number of questions."""
        return self._bank.question_sets(subject)

    def image(self, question_id: str) -> bytes:
        """The question's image as stored in the bank (b"" when it has none)."""
        return self._bank.image(question_id)

    def documents(self, subject: str | None = None) -> list[DocumentInfo]:
        return self._bank.documents(subject)

    def document(self, document_id: str) -> DocumentInfo:
        return self._bank.document(document_id)

    def passages(self, document_id: str) -> list[Passage]:
        return self._bank.passages(document_id)

    def passage(self, document_id: str, ordinal: int) -> Passage:
        return self._bank.passage(document_id, ordinal)

    def search(self, text: str, limit: int = 50, subject: str | None = None) -> list[SearchHit]:
        """Full-text search of the teaching text of every document (or one subject's), best matches first."""
        return self._bank.search(text, limit, subject)

    def citing_questions(self, document_id: str, ordinal: int) -> list[str]:
        return self._bank.citing_questions(document_id, ordinal)

    def citation_counts(self, document_id: str) -> dict[int, int]:
        return self._bank.citation_counts(document_id)

    @property
    def built_at(self) -> str:
        """When the bank was built (ISO date and time), or '?' for a bank that does not say."""
        return self._bank.meta.get("built_at", "?")
