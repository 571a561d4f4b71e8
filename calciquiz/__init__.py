"""CalciQuiz: an offline question bank and spaced-repetition study app."""
from __future__ import annotations

__version__ = "0.1.0"
