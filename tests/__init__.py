from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout under test: subprocesses run `python -m registry` here
