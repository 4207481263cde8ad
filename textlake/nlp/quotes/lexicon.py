"""The German words the quotation rules read, loaded once from `words/*.txt`: each file's header says how
its entries match and which rule reads them."""

from __future__ import annotations

import re

from textlake.nlp.wordlists import ARTICLES, read_words


def _words(name: str) -> tuple[str, ...]:
    return read_words("textlake.nlp.quotes", name)


def _exact(name: str) -> frozenset[str]:
    return frozenset(_words(name))


def _partners(name: str) -> dict[str, tuple[str, ...]]:
    """Each line a stem, then the partner words it needs."""
    return {stem: tuple(partners) for stem, *partners in (entry.split() for entry in _words(name))}


# Verbs of saying (cues.is_cue). Precedence: WITH_PARTNER, then NOT_SAYING, then SAYING.
SAYING = _words("saying")  # prefixes
VERB_ENDINGS = _exact("verb_endings") | {""}  # after a SAYING prefix, in a verb that opens a sentence
NOT_SAYING = _exact("not_saying")
WITH_PARTNER = _partners("with_partner")  # stems (and one or two letters more) → partner words
NOT_REPORTING_ALONE = _words("not_reporting_alone")  # prefixes
QUOTING_VERBS = _words("quoting_verbs")  # prefixes

# The mood and person of reported speech.
SUBJUNCTIVE = _exact("subjunctive")
SUBJUNCTIVE_TWO = _exact("subjunctive_two")
FIRST_PERSON = _exact("first_person")
REPORTIVE = _exact("reportive")
PERFECT_AUXILIARIES = _exact("perfect_auxiliaries")
PRONOUNS = _exact("pronouns")
NOT_A_SPEAKER = _exact("not_a_speaker")
# The same after the verb, inside a clause, where German writes them in lower case ("sagte er").
PRONOUNS_AFTER_THE_VERB = frozenset(p for p in PRONOUNS if p.islower())
IMPERSONAL = _exact("impersonal")
IMPERSONAL_CUE_SUBJECTS = _exact("impersonal_cue_subjects")
ADDRESSEE_MARKERS = _words("addressee_markers")  # exact words, case-insensitive, before a name
CLAUSE_JOINS = _exact("clause_joins")
INSTITUTION_COMPLEMENTS = _exact("institution_complements")
ASSOCIATION_NOUNS = _words("association_nouns")  # endings
# Words that tell a person's gender: word → "f" or "m"; role-word endings in GENDERED_ROLE_ENDINGS.
_GENDERED = dict(entry.split() for entry in _words("gendered"))
GENDERED_WORDS = {word: gender for word, gender in _GENDERED.items() if not word.startswith("-")}
GENDERED_ROLE_ENDINGS = {word[1:]: gender for word, gender in _GENDERED.items() if word.startswith("-")}
REFLEXIVE = _exact("reflexive")

# Noun phrases and subjects.
NOUN_PHRASE_JOINS = _exact("noun_phrase_joins")
# Every little word of a noun phrase: articles, possessives and the words that join its parts.
NOUN_PHRASE_WORDS = ARTICLES | _exact("possessives") | NOUN_PHRASE_JOINS
OBJECT_POSSESSIVES = _exact("object_possessives")
COPULAS = _exact("copulas")
ADJECTIVE_ENDINGS = _words("adjective_endings")  # suffixes
# Each role word → the role words of the same office (itself included).
ROLE_SYNONYMS = {word: tuple(line.split()) for line in _words("role_synonyms") for word in line.split()}
LEADING = _exact("leading")
SENTENCE_SUBJECTS = _exact("sentence_subjects")
SUBJECT_OPENERS = _exact("subject_openers")
APPOSITION_OPENERS = _exact("apposition_openers")
BACK_REFERENCES = _exact("back_references")
RELATIVE_PRONOUNS = _exact("relative_pronouns")

# Direct speech.
ATTRIBUTING = _exact("attributing")
TITLE_GLUE = _exact("title_glue")
PASSIVE = _exact("passive")
MEDIUM_PREPOSITIONS = _exact("medium_prepositions")
MEDIUM_NAME_ENDS = _exact("medium_name_ends")
PERSON_NAME_ENDS = _exact("person_name_ends")
# Quoted words right after a word for a slogan, up to three words and a colon between ("Parolen wie zum
# Beispiel „…“"): the nouns as written, the verbs by their stem.
SLOGAN = re.compile(
    r"(?:\b(?:" + "|".join(map(re.escape, _words("slogan_nouns"))) + r")"
    r"|\b(?:" + "|".join(map(re.escape, _words("slogan_verbs"))) + r")\w*)(?:\s+\w+){0,3}\s*:?\s*$"
)

# Indirect speech: clauses and frames.
CLAUSE_CONJUNCTIONS = _exact("clause_conjunctions")
CLAUSE_OPENERS = _exact("clause_openers")
SOURCE_MARKERS = _exact("source_markers")
SOURCE_CLAUSE_OPENERS = _exact("source_clause_openers")
FRAME_PREPOSITIONS = _exact("frame_prepositions")
FRAME_NOUN_PREPOSITIONS = _exact("frame_noun_prepositions")
FRAME_NOUNS = _words("frame_nouns")  # suffixes
OWN = _exact("own")
GENITIVE_OPENERS = _exact("genitive_openers")
FRAME_POSTPOSITIONS = _exact("frame_postpositions")
STANDALONE_FRAMES = _exact("standalone_frames")
BACK_REFERRING_DETERMINERS = _exact("back_referring_determiners")
# A possessive's first letters → the pronoun it stands for before a frame noun ("Seinen Angaben": "er").
FRAME_POSSESSIVES = dict(entry.split() for entry in _words("frame_possessives"))

# Naming a speaker: the organisation or person a mention stands for.
SOURCE_NOUNS = _words("source_nouns")  # suffixes
SOURCE_DOCUMENTS = _words("source_documents")  # suffixes
NEWS_AGENCIES = _exact("news_agencies")
AGENCY_VOICES = _words("agency_voices")  # suffixes
AGENCY_PREPOSITIONS = _exact("agency_prepositions")
ANNOUNCED = _exact("announced")
REPRESENTATIVE_ROLES = _words("representative_roles")  # suffixes
OWN_VOICE_ROLES = _words("own_voice_roles")  # suffixes
INSTITUTION_NOUNS = _words("institution_nouns")  # suffixes
CLASS_NOUNS = _words("class_nouns")  # suffixes
GENERIC_INSTITUTIONS = _exact("generic_institutions")
KIND_SYNONYMS = {noun: tuple(line.split()) for line in _words("kind_synonyms") for noun in line.split()}
PREPOSITIONS = _exact("prepositions")
PASSIVE_AGENTS = _exact("passive_agents")
