"""The German NER model textlake ships: gold-data reading, the gazetteer component, the build."""

from pathlib import Path

# The shipped model, inside the package so that a wheel carries it; `make model` writes it.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "ner_de"
