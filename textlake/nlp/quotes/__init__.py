"""Quotations: who said what, found by rules over a German document's sentences and entities.

What counts as a quotation follows the German news quotation attribution data (Petersen-Frey and Biemann,
2024): direct speech between quotation marks; indirect speech after a cue ("Er sagte, dass …", "…, sagte
sie", "Laut der Polizei …", "… zufolge", "Wie X mitteilte, …"); sentences in the reporting subjunctive
that continue someone's speech ("Er sei …", "Man habe …"), and the reportive "soll". The speaker is the
in-text mention the cue attaches to: a name, a pronoun, a noun phrase. `speaker_entity` points at the
document's entity when the mention is one or a pronoun refers to the person named just before; it stays
None otherwise: a speaker is never invented.

The rules and word lists were chosen on the data's train split; the figures on its dev split are in the
README (`textlake eval quotes`).
"""

from textlake.nlp.quotes.direct import quoted_texts
from textlake.nlp.quotes.pipeline import find_quotations
from textlake.nlp.quotes.quotation import KINDS, MODEL, Canonical, Located, Named, Quotation, Sentence, Span, Word

__all__ = [
    "KINDS",
    "MODEL",
    "Canonical",
    "Located",
    "Named",
    "Quotation",
    "Sentence",
    "Span",
    "Word",
    "find_quotations",
    "quoted_texts",
]
