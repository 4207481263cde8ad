"""The NER network's lexicon features: what a word is elsewhere in German, carried inside the model."""

from __future__ import annotations

import json

import numpy
import spacy
import srsly

from textlake.nlp.ner.lexicon import FLAGS, HashedLexicon, flags_of, lexicon_hash_embed
from textlake.training.ner.lexicon import add_names, wiktionary_lexicon

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
        row = flags_of(HashedLexicon.from_words(lexicon), [word])[0]
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
    lexicon = next(node for node in loaded.walk() if node.name == "lexicon_flags").attrs["lexicon"]
    assert flags_of(lexicon, ["Glas", "Wladimir", "Putin"]).tolist() == [
        [1, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 1, 0, 1, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]


def test_a_model_that_stored_its_lexicon_as_a_dict_still_loads(tmp_path):
    """Models up to 0.4.0 kept the word → flags dict itself in the weights file."""
    old = lexicon_hash_embed(width=8, attrs=["NORM", "SHAPE"], rows=[50, 50], lexicon=None)
    old.initialize(X=[spacy.blank("de")("Glas")])
    stored = old.to_dict()
    for attrs in stored["attrs"]:
        if "lexicon" in attrs:
            attrs["lexicon"] = srsly.msgpack_dumps({"Glas": 1, "keys": 4})
    loaded = lexicon_hash_embed(width=8, attrs=["NORM", "SHAPE"], rows=[50, 50], lexicon=None)
    loaded.from_dict(stored)

    lexicon = next(node for node in loaded.walk() if node.name == "lexicon_flags").attrs["lexicon"]
    assert flags_of(lexicon, ["Glas", "keys"])[:, :3].tolist() == [[1, 0, 0], [0, 0, 1]]


def test_the_network_reads_the_flags_of_every_word_as_the_lexicon_lists_them():
    # spaCy gives a few strings ("mark", "det", "_") symbol numbers instead of hashes: found all the same
    words = ["Mark", "det", "_", "Glas", "Putin"]
    listed = {"mark": 32, "det": 64, "_": 32, "Glas": 1}
    embed = lexicon_hash_embed(width=8, attrs=["NORM", "SHAPE"], rows=[50, 50], lexicon=None)
    flags = next(node for node in embed.walk() if node.name == "lexicon_flags")
    flags.attrs["lexicon"] = HashedLexicon.from_words(listed)
    doc = spacy.blank("de")(" ".join(words))

    read = flags.predict([doc]).data

    assert read.tolist() == flags_of(flags.attrs["lexicon"], words).tolist()
    assert [int(row @ (1 << numpy.arange(len(FLAGS)))) for row in read] == [32, 64, 32, 1, 0]
