"""The NER network's lexicon features: what a word is elsewhere in German, carried inside the model."""

from __future__ import annotations

import json

import numpy
import spacy

from textlake.nlp.ner.lexicon import FLAGS, add_names, flags_of, lexicon_hash_embed, wiktionary_lexicon

NOUNS_CSV = """lemma,pos,genus,nominativ singular,nominativ plural,genitiv singular,dativ plural
Glas,Substantiv,n,Glas,Gläser,Glases,Gläsern
Koch,Substantiv,m,Koch,Köche,Kochs,Köchen
Koch,"Nachname,Substantiv",,,,,
Wladimir,"Vorname,Substantiv",,,,,
Paris,"Substantiv,Toponym",,,,,
Al Kaida,"Eigenname,Substantiv",,,,,
-ant,"Affix,Substantiv,Suffix",,-ant,-anten,,
"""


def test_a_word_carries_every_kind_wiktionary_gives_it(tmp_path):
    csv_path = tmp_path / "nouns.csv"
    csv_path.write_text(NOUNS_CSV, encoding="utf-8")

    lexicon = wiktionary_lexicon(csv_path)
    add_names(lexicon, ["Wladimir", "St. Petersburg"], "place")

    def kinds(word: str) -> list[str]:
        row = flags_of(lexicon, [word])[0]
        return [flag for flag, on in zip(FLAGS, row, strict=True) if on]

    assert kinds("Gläsern") == ["noun"]  # every declined form of a common noun
    assert kinds("Koch") == ["noun", "surname"]  # the network learns which one a sentence means
    assert kinds("Kochs") == ["noun", "surname"]  # genitive of the noun and of the name
    assert kinds("Wladimir") == ["first_name", "place"]
    assert kinds("Paris") == ["place"]  # no genitive -s after an s
    assert kinds("Putin") == []
    assert "-anten" not in lexicon and "Al Kaida" not in lexicon  # affixes and multi-word names are no words
    assert "St." not in lexicon


def test_the_embedding_keeps_its_lexicon_in_the_weights(tmp_path):
    lexicon_path = tmp_path / "lexicon.json"
    lexicon_path.write_text(json.dumps({"Glas": 1, "Wladimir": 10}), encoding="utf-8")
    docs = [spacy.blank("de")("Wladimir trinkt aus dem Glas")]

    trained = lexicon_hash_embed(width=8, attrs=["NORM", "SHAPE"], rows=[50, 50], lexicon=str(lexicon_path))
    trained.initialize(X=docs)
    loaded = lexicon_hash_embed(width=8, attrs=["NORM", "SHAPE"], rows=[50, 50], lexicon=None)
    loaded.from_bytes(trained.to_bytes())  # as spacy.load does: the word list file is not needed

    (vectors,) = loaded.predict(docs)
    assert vectors.shape == (5, 8)
    numpy.testing.assert_allclose(vectors, trained.predict(docs)[0])
    flags = next(node for node in loaded.walk() if node.name == "lexicon_flags")
    assert flags.attrs["lexicon"] == {"Glas": 1, "Wladimir": 10}
