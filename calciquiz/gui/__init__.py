"""The Qt shell of CalciQuiz: the only package that imports PySide6."""
