from pathlib import Path

# the checkout under test: subprocesses run `python -m registry` here
ROOT = Path(__file__).resolve().parent.parent
