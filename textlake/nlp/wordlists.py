"""German word lists as data: each a text file under a package's `words/`, one entry a line, its header
saying how the entries match and which rule reads them; and the lists more than one stage reads."""

from __future__ import annotations

from importlib import resources


def read_words(package: str, name: str, folder: str = "words") -> tuple[str, ...]:
    """The entries of `<folder>/<name>.txt` under `package`, in file order: each line up to a `#`, stripped;
    blank and comment lines skipped. Read through importlib.resources, so an installed wheel serves too."""
    path = resources.files(package)
    for part in (*folder.split("/"), f"{name}.txt"):
        path = path.joinpath(part)
    entries = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(entry for entry in entries if entry)


# German articles, definite and indefinite (textlake/nlp/words/articles.txt).
ARTICLES = frozenset(read_words("textlake.nlp", "articles"))
# Endings of feminine nouns (textlake/nlp/words/feminine_endings.txt), in lower case.
FEMININE_ENDINGS = read_words("textlake.nlp", "feminine_endings")
# Endings of adjectives in "-en" that other words of a name do not have (words/adjectives_in_en.txt).
ADJECTIVES_IN_EN = read_words("textlake.nlp", "adjectives_in_en")
