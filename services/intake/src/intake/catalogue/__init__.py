"""The packaged concern catalogue (``concerns.yaml``)."""

from pathlib import Path

DEFAULT_CATALOGUE = Path(__file__).with_name("concerns.yaml")
