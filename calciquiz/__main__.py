from __future__ import annotations

from calciquiz.cli import main

if __name__ == "__main__":
    main()
