"""The engine of CalciQuiz: documents, questions, the bank, progress and study sessions.

Nothing in this package imports Qt; the CLI and the tests use it without a display.
"""
