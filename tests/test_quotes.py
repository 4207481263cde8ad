"""Quotations: the rules on literal German, the seed article as the issue asks for it, the scorer on a
literal gold article, and `textlake eval quotes` as a user runs it."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import BIN, SEED_ARTICLE
from textlake.ingest.prepare import prepare_document
from textlake.ingest.sources import RawFile, SourceFile
from textlake.nlp import direct_speech
from textlake.nlp.quotes import KINDS, find_quotations, quoted_texts
from textlake.nlp.segment import segment_sentences
from textlake.nlp.workers import analyse_here
from textlake.settings import Settings
from textlake.training.evaluate import GoldArticle, GoldQuotation, PredictedQuotation, evaluate_quotations


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    label: str
    canonical: str


def named(text: str, *names: tuple[str, str]) -> list[Name]:
    """Entities at the first place each name stands in `text`."""
    return [Name(text.index(name), text.index(name) + len(name), label, name) for name, label in names]


def quotations(text: str, entities: list[Name]) -> list[tuple[str, str, str | None, str | None]]:
    """(kind, quotation, cue, speaker) as the text reads."""
    found = find_quotations(text, segment_sentences(text), entities)
    show = lambda span: text[span[0] : span[1]] if span else None  # noqa: E731
    return [(q.kind, " … ".join(text[s:e] for s, e in q.parts), show(q.cue), show(q.speaker)) for q in found]


def test_direct_speech_after_a_colon_has_its_cue_and_speaker():
    text = "Die Ministerin Anna Berg sagte am Montag: „Wir werden die Schulen nicht schließen.“"
    entities = named(text, ("Anna Berg", "PER"))
    assert quotations(text, entities) == [
        ("direct", "„Wir werden die Schulen nicht schließen.“", "sagte", "Die Ministerin Anna Berg"),
    ]
    [found] = find_quotations(text, segment_sentences(text), entities)
    assert found.speaker_entity == 0  # the mention is the whole noun phrase; the person is Anna Berg


def test_a_quotation_with_no_verb_of_saying_belongs_to_the_source_it_names():
    text = (
        "Pro Person und Tag stehe nur ein Liter Wasser zur Verfügung, sagte UN-Vertreter Toby Lanzer. "
        "„Es ist schwer vorstellbar, dass hier noch vor Monaten Frieden herrschte“, so Lanzer. "
        "Die Lage sei nach Angaben der Polizei „völlig außer Kontrolle geraten“."
    )
    entities = named(text, ("Toby Lanzer", "PER"))
    speakers = {quotation: speaker for kind, quotation, cue, speaker in quotations(text, entities) if kind == "direct"}
    assert speakers["„Es ist schwer vorstellbar, dass hier noch vor Monaten Frieden herrschte“"] == "Lanzer"
    assert speakers["„völlig außer Kontrolle geraten“"] == "Angaben der Polizei"


def test_a_speaker_named_before_an_apposition_or_after_a_role_is_the_person():
    granier = (
        "Andres Granier, der Gouverneur von Tabasco, sagte zu den Überschwemmungen: „Wir kämpfen gegen ein Monster.“"
    )
    gallois = "EADS-Chef Louis Gallois kommentierte das Ende des Projekts mit den Worten: „Fest steht nur, dass wir verloren haben.“"
    murtha = "Die „unter Druck stehenden Soldaten“ hätten „unschuldige Zivilisten kaltblütig getötet“, so Murtha."

    def speakers(text: str, name: str) -> list[str | None]:
        return [speaker for kind, _, _, speaker in quotations(text, named(text, (name, "PER"))) if kind == "direct"]

    assert speakers(granier, "Andres Granier") == ["Andres Granier"]
    assert speakers(gallois, "Louis Gallois") == ["EADS-Chef Louis Gallois"]
    assert speakers(murtha, "Murtha") == ["Murtha", "Murtha"]

    stoehr = "Der Leiter des Programms der WHO, Klaus Stöhr, sagte: „Man muss sich jetzt schon darauf vorbereiten.“"
    gillard = "Australiens Ministerpräsidentin Julia Gillard bezeichnete das Unglück als „große Tragödie“."
    assert speakers(stoehr, "Klaus Stöhr") == ["Klaus Stöhr"]  # the apposition is the name
    assert speakers(gillard, "Julia Gillard") == ["Australiens Ministerpräsidentin Julia Gillard"]


def test_demnach_stands_for_the_source_of_the_quotation_before_as_a_pronoun_does():
    text = (
        "Hans Berg teilte am Montag mit, bei dem Einsatz seien mehrere Menschen verletzt worden. "
        "Demnach wurden drei Menschen in Krankenhäuser gebracht, die sich dem Gebäude genähert hatten."
    )
    entities = named(text, ("Hans Berg", "PER"))
    first, second = find_quotations(text, segment_sentences(text), entities)

    assert text[second.speaker[0] : second.speaker[1]] == "Demnach"  # the mention, as the text reads
    assert second.speaker_entity == first.speaker_entity == 0  # the person: Hans Berg


def test_a_sentence_that_says_who_said_the_one_before_makes_it_a_quotation():
    text = (
        "Die im Donaudelta verendeten Enten waren mit dem Virusstamm H5N1 infiziert. "
        "Das erklärte gestern ein Sprecher des britischen Umweltministeriums."
    )
    assert quotations(text, []) == [
        (
            "indirect",
            "Die im Donaudelta verendeten Enten waren mit dem Virusstamm H5N1 infiziert",
            "erklärte",
            "ein Sprecher des britischen Umweltministeriums",
        )
    ]


def test_a_name_in_quotation_marks_is_no_quotation():
    text = "Das berichtete die Zeitung „Berliner Morgenpost“ am Sonntag über den Hafen."
    assert [kind for kind, *_ in quotations(text, [])] == []


def test_quoted_words_a_cue_frames_are_speech_even_when_they_read_like_a_name():
    # the recogniser may take a short quoted sentence for a name; „…“, äußerte sich X frames it as speech
    text = "„Die positive Entwicklung setzt sich fort“, äußerte sich der Chef der Agentur, Frank Weise."
    entities = named(text, ("Die positive Entwicklung", "MISC"), ("Frank Weise", "PER"))
    assert quotations(text, entities)[0][:3] == ("direct", "„Die positive Entwicklung setzt sich fort“", "äußerte")


def test_an_opening_mark_closed_by_a_straight_quote_is_still_a_quotation():
    text = 'Der Trainer sagte: „Wir haben heute verdient gewonnen." Danach ging er.'
    assert quotations(text, [])[0][:2] == ("direct", '„Wir haben heute verdient gewonnen."')


def test_a_verb_of_saying_in_the_plural_cues_indirect_speech():
    text = "Politische Berater sagen, dass ein Kandidat viel Geld aufbringen muss."
    [(kind, quotation, cue, speaker)] = quotations(text, [])
    assert (kind, quotation, cue) == ("indirect", "dass ein Kandidat viel Geld aufbringen muss", "sagen")
    assert speaker == "Politische Berater"


def test_a_quotation_of_several_sentences_takes_its_speaker_from_where_it_closes():
    text = "Der Trainer war zufrieden. „Die Regel ist eindeutig. Das lag hier nicht vor“, sagte Felix Magath."
    entities = named(text, ("Felix Magath", "PER"))
    [(kind, _, cue, speaker)] = quotations(text, entities)
    assert (kind, cue, speaker) == ("direct", "sagte", "Felix Magath")


def test_the_speaker_stands_before_a_colon_even_without_a_verb_of_saying():
    text = "Die Polizei hörte mit, Paolo Rossi lehnte mit den Worten ab: „Das mache ich nicht, mach es selbst.“"
    [(kind, _, _, speaker)] = quotations(text, named(text, ("Polizei", "ORG"), ("Paolo Rossi", "PER")))
    assert (kind, speaker) == ("direct", "Paolo Rossi")


def test_speakers_after_a_reflexive_cue_and_before_a_final_cue():
    text = (
        "„Die positive Entwicklung setzt sich fort“, äußerte sich der Chef der Agentur. "
        "Die Entscheidung fiel am Montag, wie die Staatsanwaltschaft Darmstadt mitteilte."
    )
    entities = named(text, ("Staatsanwaltschaft Darmstadt", "ORG"))
    speakers = [speaker for *_, speaker in quotations(text, entities)]
    assert speakers == ["der Chef der Agentur", "Staatsanwaltschaft Darmstadt"]


def test_a_decimal_comma_and_a_so_before_a_verb_frame_no_speech():
    assert quotations("Beim Spiel gelten strengere Regeln, so sind Rucksäcke nicht zugelassen.", []) == []
    text = "Die Forderung der Gewerkschaft lautete auf 6,5 Prozent mehr Geld bei zwölf Monaten Laufzeit."
    assert [quotation for _, quotation, *_ in quotations(text, []) if quotation.startswith("5 Prozent")] == []


def test_words_that_only_look_like_verbs_of_saying_cue_nothing():
    text = (
        "Die Niederlande schlugen Japan im Spiel am Sonntag mit 1:0. "
        "Der Junge war mit einem bisher nicht bekannten Mann nach Den Haag gereist."
    )
    assert quotations(text, named(text, ("Niederlande", "LOC"), ("Japan", "LOC"))) == []


def test_a_verb_of_saying_without_a_clause_reports_a_demand_not_a_mood_or_a_criticism():
    text = (
        "Der Minister Karl Berg forderte mehr Geld für die Schulen. "
        "Der Minister Karl Berg zeigte sich zufrieden mit dem Ergebnis. "
        "Der Minister Karl Berg kritisierte den Verlauf der Wahl."
    )
    found = quotations(text, named(text, ("Karl Berg", "PER")))
    assert [(kind, quotation) for kind, quotation, *_ in found] == [
        ("reported", "Der Minister Karl Berg forderte mehr Geld für die Schulen")
    ]


def test_soll_reports_speech_with_a_perfect_infinitive_not_with_a_plan():
    text = (
        "Die Polizei sagte, der Täter sei geflohen. Er soll zuvor zwei Menschen bedroht haben. "
        "Neuwahlen sollen am 14. November stattfinden."
    )
    kinds = [(kind, quotation) for kind, quotation, *_ in quotations(text, named(text, ("Polizei", "ORG")))]
    assert kinds == [
        ("indirect", "der Täter sei geflohen"),
        ("free_indirect", "Er soll zuvor zwei Menschen bedroht haben"),
    ]


def test_the_subject_after_a_verb_in_second_place_is_the_speaker():
    text = (
        "So erklärte FDP-Finanzexperte Jürgen Koppelin, dass die Schulden nur wegen der Steuer sinken würden. "
        "Der Politik schlug er vor, sich an den Modellen der USA zu orientieren. "
        "„Die Schule ist angekommen.“ erklärte Ministerin Eisenmann."
    )
    entities = named(text, ("Jürgen Koppelin", "PER"), ("USA", "LOC"), ("Eisenmann", "PER"))
    assert [speaker for *_, speaker in quotations(text, entities)] == [
        "FDP-Finanzexperte Jürgen Koppelin",
        "er",
        "Ministerin Eisenmann",
    ]


def test_a_title_in_quotation_marks_is_no_speech_but_a_phrase_a_person_used_is():
    text = (
        "Den César bekam der Film in der Rubrik „Bester ausländischer Film“. "
        "Karl Modder nannte die Absage einen „glatten Vertrauensbruch“."
    )
    found = quotations(text, named(text, ("César", "MISC"), ("Karl Modder", "PER")))
    assert [(kind, quotation) for kind, quotation, *_ in found] == [("direct", "„glatten Vertrauensbruch“")]


def test_mottos_and_titles_in_quotation_marks_are_no_speech_though_they_read_like_it():
    text = (
        "Sie demonstrierten unter dem Motto „Frieden schaffen ohne Waffen“ vor dem Rathaus. "
        "Das Buch mit dem Titel „Die Revolution missbraucht ihre Kinder“ erschien im Mai. "
        "„Wir haben lange genug gewartet“, sagte die Sprecherin."
    )
    assert [(kind, quotation) for kind, quotation, *_ in quotations(text, [])] == [
        ("direct", "„Wir haben lange genug gewartet“")
    ]


def test_the_noncommercial_direct_speech_weights_belong_to_the_features_textlake_observes():
    stored = json.loads(direct_speech.NONCOMMERCIAL_WEIGHTS.read_text(encoding="utf-8"))
    assert stored["features"] == [name for name, _ in direct_speech.FEATURES]
    assert len(stored["weights"]) == len(direct_speech.FEATURES)
    assert "CC BY-NC-SA 4.0" in stored["licence"]


def test_the_installed_package_holds_no_noncommercial_weights():
    """What a default install carries is Apache-2.0 or openly licensed: the CC BY-NC-SA weights live beside
    the package, in models/noncommercial/, and a run reads them only when a user names them."""
    package = Path(direct_speech.__file__).resolve().parents[1]
    assert not direct_speech.NONCOMMERCIAL_WEIGHTS.is_relative_to(package)
    assert not [p for p in package.rglob("*.json") if "BY-NC" in p.read_text(encoding="utf-8", errors="replace")]
    assert Settings().direct_speech_weights is None


def test_by_default_the_rules_decide_what_is_speech_and_the_classifier_only_when_chosen():
    text = "Der wissenschaftliche Name lautet „Homo erectus novus“ und soll neu sein. „Wir haben lange gewartet“, sagte sie."
    try:
        direct_speech.use_weights(Settings().direct_speech_weights)
        by_default = [kind for kind, *_ in quotations(text, [])]
        direct_speech.use_weights(direct_speech.NONCOMMERCIAL_WEIGHTS)
        chosen = [kind for kind, *_ in quotations(text, [])]
    finally:
        direct_speech.use_weights(None)
    assert by_default == ["direct", "direct"]  # the rules take the name in quotation marks for speech
    assert chosen == ["direct"]  # the classifier knows better


def test_the_rules_decide_what_is_speech():
    text = "„Wir haben lange genug gewartet“, sagte die Sprecherin. Das Wort „Zapfsäule“ fiel nicht."
    decide = direct_speech.speech_decider(None)
    seen = quoted_texts(text, segment_sentences(text), [])
    assert [(text[span[0] : span[1]], decide(q)) for span, q in seen] == [
        ("„Wir haben lange genug gewartet“", True),
        ("„Zapfsäule“", False),
    ]


def test_training_without_the_gold_data_says_so_in_one_line(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "textlake.training.direct_speech", "--gold", str(tmp_path / "none.jsonl")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "no gold file" in run.stderr


@pytest.mark.slow
def test_the_direct_speech_classifier_is_rebuilt_from_the_train_split_as_shipped(shared_data: Path, tmp_path):
    rebuilt = tmp_path / "direct_speech.json"
    run = subprocess.run(
        [sys.executable, "-m", "textlake.training.direct_speech",
         "--gold", str(shared_data / "wikinews" / "train.jsonl"), "--out", str(rebuilt)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(rebuilt.read_text(encoding="utf-8")) == json.loads(
        direct_speech.NONCOMMERCIAL_WEIGHTS.read_text(encoding="utf-8")
    )


def test_indirect_speech_after_a_cue_and_the_inverted_cue_after_it():
    text = "Der Bürgermeister sagte, die Brücke werde im Mai fertig. Die Kosten seien gestiegen, sagte Paul Krug."
    found = quotations(text, named(text, ("Paul Krug", "PER")))
    assert found[0][:3] == ("indirect", "die Brücke werde im Mai fertig", "sagte")
    assert found[0][3] == "Der Bürgermeister"
    assert found[1] == ("indirect", "Die Kosten seien gestiegen", "sagte", "Paul Krug")


def test_a_frame_inside_the_sentence_leaves_the_quotation_in_two_parts():
    text = "Die Ursache des Einsturzes dürfte laut der Polizei der schwere Schnee gewesen sein."
    [(kind, quotation, cue, speaker)] = quotations(text, named(text, ("Polizei", "ORG")))
    assert (kind, quotation, cue, speaker) == (
        "indirect",
        "Die Ursache des Einsturzes dürfte … der schwere Schnee gewesen sein",
        "laut",
        "Polizei",
    )


def test_a_frame_source_keeps_its_adjectives_and_the_quotation_starts_after_them():
    text = "Laut dem brasilianischen Außenministerium ist der Besuch des Präsidenten in Quito abgesagt worden."
    [(kind, quotation, cue, speaker)] = quotations(text, named(text, ("Quito", "LOC")))
    assert (kind, quotation, speaker) == (
        "indirect",
        "ist der Besuch des Präsidenten in Quito abgesagt worden",
        "dem brasilianischen Außenministerium",
    )


def test_a_frame_source_keeps_a_prepositional_phrase_before_its_adjectives():
    text = (
        "Laut dem für Terrorismus zuständigen französischen Staatsanwalt François Molins habe es drei Teams "
        "gegeben, die koordiniert vorgegangen seien."
    )
    [(kind, quotation, cue, speaker)] = quotations(text, named(text, ("François Molins", "PER")))
    assert (quotation, speaker) == ("habe es drei Teams gegeben, die koordiniert vorgegangen seien", "François Molins")


def test_a_preposition_after_laut_opens_no_source_with_adjectives():
    text = "Der Aufsichtsratschef der Bank dachte bereits laut über mögliche Nachfolger für Ackermann nach."
    speakers = [speaker for *_, speaker in quotations(text, named(text, ("Ackermann", "PER")))]
    assert "Ackermann" not in speakers  # "laut" is the adverb here; "über" ends like an adjective, is none


def test_a_participle_between_an_article_and_its_noun_is_no_verb_of_saying():
    text = (
        "Die Verschärfung führe zum gegenteiligen Ergebnis, sagte Mitterlehner am Dienstag. Das Problem sei zwar "
        "richtig erkannt worden, aber die vorgeschlagenen Maßnahmen seien absolut falsch."
    )
    found = quotations(text, named(text, ("Mitterlehner", "PER")))
    assert [(kind, cue, speaker) for kind, _, cue, speaker in found] == [
        ("indirect", "sagte", "Mitterlehner"),
        ("indirect_free_indirect", None, "Mitterlehner"),  # "vorgeschlagenen" proposes nothing: speech goes on
    ]
    text = "Für die Zuschauer war eine Betreuung eingerichtet worden. Das teilte Feuerwehrsprecher Axel Stüken mit."
    [(_, _, cue, speaker)] = quotations(text, named(text, ("Axel Stüken", "PER")))
    assert (cue, speaker) == ("teilte", "Axel Stüken")  # "Das" opens the sentence: the verb after it is one


def test_the_reporting_subjunctive_continues_the_last_speaker_and_a_pronoun_is_resolved():
    text = (
        "Kanzlerin Eva Roth erklärte, die Lage sei ernst. Man habe alles versucht. "
        "Später sagte sie, die Gespräche gingen weiter."
    )
    found = find_quotations(text, segment_sentences(text), named(text, ("Eva Roth", "PER")))
    assert [q.kind for q in found] == ["indirect", "indirect_free_indirect", "indirect"]
    assert [q.speaker_entity for q in found] == [0, 0, 0]  # "sie" is the person quoted just before
    assert text[found[2].speaker[0] : found[2].speaker[1]] == "sie"


def test_the_second_subjunctive_continues_speech_only_right_after_it():
    text = (
        "Der Minister Karl Berg sagte, die Lage sei ernst. Ohne Hilfe hätten die Bauern große Verluste erlitten. "
        "Im Sommer regnete es kaum. Das hätte niemand gedacht."
    )
    found = quotations(text, named(text, ("Karl Berg", "PER")))
    assert [(kind, quotation, speaker) for kind, quotation, _, speaker in found] == [
        ("indirect", "die Lage sei ernst", "Der Minister Karl Berg"),
        ("indirect_free_indirect", "Ohne Hilfe hätten die Bauern große Verluste erlitten", "Der Minister Karl Berg"),
    ]


def test_indirect_speech_ends_at_a_semicolon_unless_the_speech_goes_on():
    text = (
        "Viele Anwohner sagten, sich dort unsicher zu fühlen; vor allem Frauen meiden den Platz. "
        "Der Trainer sagte, dass Nadal sehr stark war; seine Art habe ihn überrascht."
    )
    # a semicolon ends a sentence (as the gold has it): speech that goes on after it is a sentence of its
    # own in the subjunctive, the same speaker's
    assert [(kind, quotation, speaker) for kind, quotation, _, speaker in quotations(text, [])] == [
        ("indirect", "sich dort unsicher zu fühlen", "Viele Anwohner"),
        ("indirect", "dass Nadal sehr stark war", "Der Trainer"),
        ("indirect_free_indirect", "seine Art habe ihn überrascht", "Der Trainer"),
    ]


def test_a_sentence_in_the_first_person_is_no_reported_subjunctive_speech():
    text = "Der Minister Karl Berg sagte, die Lage sei ernst. Ich habe das Gefühl, es sei zu spät."
    found = quotations(text, named(text, ("Karl Berg", "PER")))
    assert [(kind, quotation) for kind, quotation, *_ in found] == [("indirect", "die Lage sei ernst")]


def test_subjunctive_speech_begins_a_sentence_earlier_in_the_second_subjunctive():
    text = "Der Zug kam spät an. So hätten die Bauern große Verluste erlitten. Außerdem sei die Ernte verloren."
    assert [(kind, quotation) for kind, quotation, *_ in quotations(text, [])] == [
        ("indirect_free_indirect", "So hätten die Bauern große Verluste erlitten. Außerdem sei die Ernte verloren")
    ]


def test_quoted_words_inside_a_subjunctive_sentence_are_two_quotations():
    text = "Die Fraktion kritisierte den Plan. Der Schritt sei aus Sicht der Abgeordneten „dringend geboten“ und komme spät."
    found = quotations(text, [])
    assert [(kind, quotation) for kind, quotation, *_ in found][-2:] == [
        ("indirect_free_indirect", "Der Schritt sei aus Sicht der Abgeordneten „dringend geboten“ und komme spät"),
        ("direct", "„dringend geboten“"),
    ]


def test_a_that_clause_after_the_particle_of_a_stating_verb_is_indirect_speech():
    text = "Die Forscher fanden heraus, dass die Tiere mehr Fett aufnahmen. Es ist klar, dass es regnet."
    found = quotations(text, [])
    assert [(kind, quotation, cue, speaker) for kind, quotation, cue, speaker in found] == [
        ("indirect", "dass die Tiere mehr Fett aufnahmen", "heraus", "Die Forscher")
    ]


def test_nach_eigenen_angaben_is_the_speaker_mention_the_gold_marks():
    text = "Die Feuerwehr hat nach eigenen Angaben die Hälfte der Halle abgesucht."
    assert quotations(text, [])[0][3] == "eigenen Angaben"


def test_a_subjunctive_sentence_after_a_sentence_of_no_speech_takes_that_sentences_subject():
    text = (
        "Ein Sprecher sagte, das Werk bleibe offen. Der Vorstand tagte am Montag. "
        "Die Gewerkschaft Verdi ist besorgt. Der Lohn liege weit unter dem Tarif."
    )
    found = quotations(text, named(text, ("Verdi", "ORG")))
    assert [(kind, speaker) for kind, _, _, speaker in found] == [
        ("indirect", "Ein Sprecher"),
        ("indirect_free_indirect", "Die Gewerkschaft Verdi"),
    ]


def test_speakers_after_a_long_so_and_before_an_apposition_with_a_party():
    text = (
        "Der Vertrauensverlust schaffe Probleme, so Frank Karl, Leiter der Abteilung für "
        "gesellschaftspolitische Information bei der Stiftung in Berlin. "
        "Die Sprecherin der Fraktion, Sandra Boser (Grüne), erklärte: „Neiddebatten sind fehl am Platz.“"
    )
    found = quotations(text, named(text, ("Frank Karl", "PER"), ("Sandra Boser", "PER"), ("Grüne", "ORG")))
    assert [(kind, speaker) for kind, _, _, speaker in found] == [
        ("indirect", "Frank Karl"),
        ("direct", "Sandra Boser"),
    ]


def test_speech_a_named_medium_quotes_is_two_quotations_the_persons_and_the_mediums():
    text = (
        "Der Spiegel zitiert den Prediger mit den Worten „Wir warnen das Abendland.“ "
        "„Das wird das größte Update aller Zeiten“, zitiert die „Computerwoche“ Kevin Lynch. "
        "Der Fraktionschef Volker Ratzmann wird von der „Netzeitung“ mit den Worten zitiert: „Er ist angeschlagen.“"
    )
    entities = named(text, ("Spiegel", "ORG"), ("Kevin Lynch", "PER"), ("Volker Ratzmann", "PER"))
    assert [(quoted[:12], cue, speaker) for _, quoted, cue, speaker in quotations(text, entities)] == [
        ("„Wir warnen ", "zitiert", "den Prediger"),
        ("„Wir warnen ", "zitiert", "Spiegel"),
        ("„Das wird da", "zitiert", "Kevin Lynch"),
        ("„Das wird da", "zitiert", "die „Computerwoche"),
        ("„Er ist ange", "zitiert", "Volker Ratzmann"),
        ("„Er ist ange", "zitiert", "von der „Netzeitung"),
    ]


def test_speech_quoted_with_no_medium_named_is_one_quotation():
    text = "„Wir sind unwillkommene Zeugen“, zitierte man Yolanda Alvarez. „Ich hoffe es“, wird Leon Panetta zitiert."
    entities = named(text, ("Yolanda Alvarez", "PER"), ("Leon Panetta", "PER"))
    assert [speaker for _, _, _, speaker in quotations(text, entities)] == ["Yolanda Alvarez", "Leon Panetta"]


def test_slogans_of_a_crowd_are_speech_a_motto_is_not():
    text = (
        "Die Menschenmenge skandierte Parolen wie „Thaksin raus“. "
        "Die Konferenz steht unter dem Motto „Private Investigations“."
    )
    assert [(kind, quoted) for kind, quoted, _, _ in quotations(text, [])] == [("direct", "„Thaksin raus“")]


def test_a_name_inside_the_quoted_words_is_no_speaker():
    text = "Auf dem Transparent war die Parole „Autonome in Bewegung, G8 und EU angreifen“ zu lesen."
    found = quotations(text, named(text, ("EU", "ORG")))
    assert [(kind, speaker) for kind, _, _, speaker in found] == [("direct", None)]


def test_a_text_without_speech_has_no_quotations():
    text = "Der Zug fährt um acht Uhr ab. Im Winter schneit es oft in den Bergen."
    assert quotations(text, []) == []


def test_the_seed_quotes_lukaschenko_and_putin():
    data = SEED_ARTICLE.read_bytes()
    document = prepare_document(RawFile(SourceFile(SEED_ARTICLE, len(data)), data, hashlib.sha256(data).hexdigest()))
    [analysed] = analyse_here([document], Settings())
    text = document.text
    speakers = [
        analysed.entities[q.speaker_entity].canonical for q in analysed.quotations if q.speaker_entity is not None
    ]
    minsk = next(q for q in analysed.quotations if text[q.start :].startswith('"Minsk muss auf alles vorbereitet sein'))
    assert minsk.kind == "direct" and analysed.entities[minsk.speaker_entity].canonical == "Alexander Lukaschenko"
    assert speakers.count("Wladimir Putin") >= 3 and speakers.count("Alexander Lukaschenko") >= 3
    mentions = {text[q.speaker[0] : q.speaker[1]] for q in analysed.quotations if q.speaker}
    assert not mentions & {"Iskander-M", "Aufrüstung"}
    assert {q.kind for q in analysed.quotations} <= set(KINDS)


def test_the_scorer_matches_leniently_and_counts_speakers_cues_and_exact_boundaries():
    text = "Er sagte, das Wetter werde besser. „Wir fahren morgen los“, sagte Anna. Laut Polizei gab es Staus."
    spans = {part: (text.index(part), text.index(part) + len(part)) for part in
             ("das Wetter werde besser", "„Wir fahren morgen los“", "Er", "sagte", "Anna", "gab es Staus", "Polizei")}  # fmt: skip
    gold = GoldArticle("a", text, [
        GoldQuotation((spans["das Wetter werde besser"],), "indirect", (spans["sagte"],), (spans["Er"],)),
        GoldQuotation((spans["„Wir fahren morgen los“"],), "direct", (), (spans["Anna"],)),
        GoldQuotation((spans["gab es Staus"],), "indirect", (), (spans["Polizei"],)),
    ])  # fmt: skip
    predicted = [
        # the gold's first quotation and a little more: lenient, not exact; the right speaker
        PredictedQuotation(((spans["das Wetter werde besser"][0] - 4, spans["das Wetter werde besser"][1]),), "indirect", spans["sagte"], spans["Er"]),
        # exact, but the wrong speaker
        PredictedQuotation((spans["„Wir fahren morgen los“"],), "direct", None, spans["sagte"]),
        # not a quotation in the gold
        PredictedQuotation(((0, 2),), "reported", None, None),
    ]  # fmt: skip
    result = evaluate_quotations([gold], lambda _: predicted)
    assert (result.lenient.true_positives, result.lenient.predicted, result.lenient.gold) == (2, 3, 3)
    assert (result.direct.true_positives, result.direct.predicted, result.direct.gold) == (1, 1, 1)
    assert result.exact.true_positives == 1
    assert (result.cue.true_positives, result.cue.predicted, result.cue.gold) == (1, 1, 1)
    assert (result.speakers_right, result.speakers_gold) == (1, 2)


@pytest.mark.slow
def test_eval_quotes_prints_figures_on_a_slice_of_the_gold(shared_data: Path, tmp_path):
    articles = (shared_data / "wikinews" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:15]
    gold = tmp_path / "slice.jsonl"
    gold.write_text("\n".join(articles) + "\n", encoding="utf-8")
    expected_gold = sum(len(json.loads(line)["quotes"]) for line in articles)
    run = subprocess.run(
        [str(BIN / "textlake"), "eval", "quotes", "--gold", str(gold), "--errors", "2"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = {line.split("  ")[0].strip(): line.split() for line in run.stdout.splitlines()}
    figures = lines["all kinds (lenient)"]
    precision, recall, f1, gold_n = float(figures[3]), float(figures[4]), float(figures[5]), int(figures[6])
    assert gold_n == expected_gold
    # the figures the command prints are the library's, for the language stage as a run applies it
    from textlake.nlp.workers import recognizer_for
    from textlake.training.evaluate import evaluate_quotations, quotations_by_the_pipeline, read_quotation_gold

    direct_speech.use_weights(None)
    lenient = evaluate_quotations(
        read_quotation_gold(gold), quotations_by_the_pipeline(recognizer_for(Settings())), 0
    ).lenient
    assert (precision, recall, f1) == (round(lenient.precision, 3), round(lenient.recall, 3), round(lenient.f1, 3))
    assert 0 < recall < precision < 1  # the rules find fewer quotations than the gold has, most of them right
    assert "15 articles" in run.stdout
    assert sum(line.startswith(("missed", "spurious")) for line in run.stdout.splitlines()) == 2


@pytest.mark.parametrize(
    "text",
    [
        "Im April wurde dann bekannt, dass Warrington an Bauchspeicheldrüsenkrebs litt.",
        "Am Montag sagte der 81-jährige in einem Interview, dass die Maus sofort tot gewesen sei.",
        "Im ersten Satz beruft sich die Bank darauf, dass die Freigabe der Daten mit dem Terrorismus zusammenhänge.",
    ],
)
def test_a_phrase_opened_by_a_preposition_that_names_no_one_is_no_speaker_mention(text):
    # the mention was "Im April", "Am Montag", "Im ersten Satz": a phrase of the sentence, not who spoke
    entities = named(text, ("Warrington", "PER")) if "Warrington" in text else []
    assert [speaker for *_, speaker in quotations(text, entities)] == [None]


def test_a_source_phrase_opened_by_a_preposition_keeps_the_name_it_gives():
    text = "In einer Presseerklärung der Gewerkschaft der Polizei hieß es, die Beamten seien überlastet."
    found = find_quotations(text, segment_sentences(text), named(text, ("Gewerkschaft der Polizei", "ORG")))
    assert [(q.speaker_name, q.speaker_label) for q in found] == [("Gewerkschaft der Polizei", "ORG")]


def test_speech_that_goes_on_after_a_sentence_whose_subject_cannot_speak_has_no_speaker_mention():
    # the mention was "Der Slogan Mit Sicherheit": a slogan says nothing, whatever is said after it
    text = (
        "Das Team will die Erfahrung des Kandidaten zeigen. Der Slogan Mit Sicherheit soll das unterstreichen. "
        "Der ehemalige Sozialminister sei ein Macher, einer, der anpackt."
    )
    assert quotations(text, []) == [
        ("indirect_free_indirect", "Der ehemalige Sozialminister sei ein Macher, einer, der anpackt", None, None)
    ]


def test_a_verb_of_saying_that_opens_its_clause_before_a_colon_shares_the_subject_of_the_verb_before():
    text = "Ich wusste, es wird schwierig, meinte Svindal weiters, gestand aber auch: In der Abfahrt läuft es gut."
    assert quotations(text, named(text, ("Svindal", "PER")))[-1] == (
        "direct", "In der Abfahrt läuft es gut", "gestand", "Svindal"
    )  # fmt: skip
    # "heißt es" has a subject of its own, who is no one: not the addressee of the verb before
    report = "Die Kosten wurden der KommAustria nicht gemeldet, heißt es: Diese Vorgangsweise eröffnet Möglichkeiten."
    assert quotations(report, named(report, ("KommAustria", "ORG")))[-1][-1] is None
