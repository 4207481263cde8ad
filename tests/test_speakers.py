"""Who said it: the speaker's name a quotation gets (`quotes.speaker_canonical`), rule by rule, on literal
German (README, "Who said it")."""

from __future__ import annotations

import pytest

from tests.test_quotes import Name, named
from textlake.nlp.canonical import canonical_names
from textlake.nlp.quotes import find_quotations
from textlake.nlp.segment import segment_sentences


def speakers(text: str, *names: tuple[str, str]) -> list[tuple[str | None, str | None]]:
    """(speaker_name, speaker_label) of each quotation the text has."""
    found = find_quotations(text, segment_sentences(text), named(text, *names))
    assert found, "the rules found no quotation in the example"
    return [(q.speaker_name, q.speaker_label) for q in found]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an unnamed spokesperson speaks for the organisation named with the role
        ("Ein Sprecher des Finanzministeriums sagte, man sei zuversichtlich, dass alles gut gehe.", (),
         ("Finanzministerium", "ORG")),
        ("Möglicherweise habe der Fahrer einen Schwächeanfall erlitten, teilte ein Polizeisprecher gestern mit.", (),
         ("Polizei", "ORG")),
        # a source noun stands for whom it names
        ("Nach Angaben von n24 sind die Gruppen in den Vororten sehr mobil.", (), ("n24", "ORG")),
        ("Nach israelischen Armeeangaben wurden am Montag mindestens 40 Ziele angegriffen.", (),
         ("israelische Armee", "ORG")),
        # the name after a word for its kind
        ("Wie die Plattenfirma Sony-Music mitteilte, wird es im Oktober einen neuen Song geben.", (),
         ("Sony-Music", "ORG")),
        # an institution with its qualifier, in the nominative
        ("Die Berliner Staatsanwaltschaft sagte, der Verdächtige sei am Montag festgenommen worden.", (),
         ("Berliner Staatsanwaltschaft", "ORG")),
        # a place in a prepositional phrase is never the speaker
        ("Wie das Verteidigungsministerium in Kabul mitteilte, wurden bei dem Angriff drei Soldaten getötet.",
         (("Kabul", "LOC"),), ("Verteidigungsministerium", "ORG")),
        # a country as the subject of the cue is
        ("Russland warnte, die Sanktionen würden die Beziehungen schwer belasten.", (("Russland", "LOC"),),
         ("Russland", "LOC")),
        # nobody named: NULL
        ("Experten sagten, die Lage werde sich in den kommenden Wochen weiter verschärfen.", (), (None, None)),
        ("Nach Angaben einer Bauerngewerkschaft sollen fünf bis sechs Farmen gestürmt worden sein.", (), (None, None)),
        # a lawyer speaks in his own voice, not his client's
        ("Der Anwalt von Max Müller sagte, sein Mandant sei in allen Punkten unschuldig.", (("Max Müller", "PER"),),
         (None, None)),
        # whom the speech is addressed to, or who asked, does not speak
        ("Jedes Kind habe seelische Verletzungen davongetragen, sagte die Psychotherapeutin zum STANDARD.",
         (("STANDARD", "ORG"),), (None, None)),
        ("Die Lage sei sehr ernst, das sagte sie dem STANDARD am Montag.", (("STANDARD", "ORG"),), (None, None)),
        ("Man sei an Qualitätssicherung interessiert, heißt es auf Anfrage des STANDARD vonseiten der Universität Wien.",
         (("STANDARD", "ORG"), ("Universität Wien", "ORG")), ("Universität Wien", "ORG")),
        # but a source after "laut", and a name in apposition, do
        ("Laut dem Innenministerium seien die Zahlen im vergangenen Jahr deutlich gestiegen.", (),
         ("Innenministerium", "ORG")),
        ("Nach Angaben des Hauptsponsors, dem Getränkehersteller Pepsi, werde es der erste gemeinsame Auftritt sein.",
         (("Pepsi", "ORG"),), ("Pepsi", "ORG")),
        # the person before the comma of their role, when no comma closes the role before the verb
        ("Martin Behrsing, Sprecher des Erwerbslosen Forum Deutschland kommentierte den Fall mit den Worten: "
         "„Das ist seltene Dämlichkeit der Behörde.“", (("Martin Behrsing", "PER"), ("Deutschland", "LOC")),
         ("Martin Behrsing", "PER")),
        ("Das Manöver wird äußerste Raffinesse erfordern, wie Alan Stern, Direktor des Missionsrats der NASA betont.",
         (("Alan Stern", "PER"), ("NASA", "ORG")), ("Alan Stern", "PER")),
        # a name in apposition names the head, not the person in its genitive
        ("Der Nachfolger des zurückgetretenen Airbus-Chefs Christian Streiff, Louis Gallois, hat angekündigt, "
         "die Sanierung werde Arbeitsplätze kosten.", (("Christian Streiff", "PER"), ("Louis Gallois", "PER")),
         ("Louis Gallois", "PER")),
        # an acronym opens an organisation's name; a title in quotation marks is a medium's
        ("Es gebe keine Möglichkeit, sich zu wehren, schreibt der AK Vorratsdatenspeicherung auf seiner Website.",
         (), ("AK Vorratsdatenspeicherung", "ORG")),
        ("Wie die „Automobilwoche“ in ihrer Onlineausgabe berichtet, will der Konzern sein Werk umrüsten.", (),
         ("Automobilwoche", "ORG")),
        # a genitive that is part of an institution's name stays with it; one that is not, does not
        ("In einem Positionspapier des Bundesministeriums des Innern heißt es, die Regeln hätten sich bewährt.",
         (), ("Bundesministerium des Innern", "ORG")),
        ("Die Gewerkschaft der Polizei forderte, die Personalkürzungen bei der Polizei sofort zu beenden.", (),
         ("Gewerkschaft der Polizei", "ORG")),
        ("Das Ministerium des Landes teilte mit, die Schulen blieben bis Ostern geschlossen.", (),
         ("Ministerium", "ORG")),
        # a source "zufolge" is in the dative, and speaks
        ("Dem ZDF zufolge sei die Lage im ganzen Land sehr ernst.", (("ZDF", "ORG"),), ("ZDF", "ORG")),
        # the office a role stands for, named with its place once and without it later
        ("Die Staatsanwaltschaft München I ermittelt. Die Staatsanwaltschaft hat Anklage erhoben. "
         "Der Staatsanwalt sagte, der Angeklagte habe das Geld verschoben.", (("München", "LOC"),),
         ("Staatsanwaltschaft München I", "ORG")),
        ("Die deutsche Botschaft bestätigte den Vorfall. Der Botschafter sagte, alle Mitarbeiter seien sicher.",
         (), ("Botschaft", "ORG")),
        # a prime minister is no president
        ("Der französische Ministerpräsident Édouard Philippe kam nach Berlin. Das Abkommen sei gut, sagte der "
         "französische Präsident am Abend.", (("Édouard Philippe", "PER"),), (None, None)),
        # a number is no name
        ("Die 39 seien bereits im vergangenen Jahr aus dem Verein ausgetreten, teilte die Polizei mit.", (),
         ("Polizei", "ORG")),
        # a spokesperson of "the Kommission" speaks for the one the document names, written after an acronym
        ("Die EU-Kommission wies den Bericht zurück. Es gebe keinen Plan für eine Armee, erklärte eine "
         "Kommissionssprecherin.", (), ("EU-Kommission", "ORG")),
        # an organisation's name in the genitive is the organisation
        ("Apple hat die Funktion erklärt. Nach Apples Darstellung soll es zu keinem höheren Datenvolumen kommen.",
         (("Apple", "ORG"), ("Apples", "PER")), ("Apple", "ORG")),
        # a named spokesperson is the person
        ("Ein Sprecher des Ministeriums, Hans Meier, sagte, die Zahlen seien deutlich gestiegen.",
         (("Hans Meier", "PER"),), ("Hans Meier", "PER")),
        # a role, a comma and the person's role and name: the person
        ("„Die Lage bleibt ernst“, sagte der Oberkommandierende der US-Streitkräfte im Irak, General George Casey "
         "heute.", (("Irak", "LOC"), ("George Casey", "PER")), ("George Casey", "PER")),
        # a name the recogniser missed, after a role: the person as written; a role alone names nobody
        ("Der Flughafenmanager Vedat Muftuoglu sagte: „Niemand sollte so etwas tun.“", (),
         ("Vedat Muftuoglu", "PER")),
        ("Der Sprecher der Polizei Wien sagte: „Niemand wurde verletzt.“", (), ("Polizei Wien", "ORG")),
        ("Der Flughafenmanager sagte: „Niemand sollte so etwas tun.“", (), (None, None)),
        # a name after a word for its kind is an organisation's, whatever else the recogniser took it for
        ("Die russische Nachrichtenagentur RIA Novosti meldete, die Banken hätten ihren Zweck verloren.",
         (("RIA Novosti", "MISC"),), ("RIA Novosti", "ORG")),
        ("Der Attentäter sei längst gefasst, schreibt die belgische Zeitung Le Soir.", (("Le Soir", "LOC"),),
         ("Le Soir", "ORG")),
        ("Der dritte Attentäter ist laut der belgischen Zeitung Le Soir längst gefasst.", (("Le Soir", "LOC"),),
         ("Le Soir", "ORG")),
        ("Laut dem Medienportal meedia.de gebe es dafür eine Erweiterung.", (("meedia.de", "MISC"),),
         ("meedia.de", "ORG")),
    ],
)  # fmt: skip
def test_the_speaker_is_who_the_text_says_spoke(text, names, expected):
    assert speakers(text, *names)[-1] == expected


def test_a_role_after_a_comma_that_names_no_one_after_it_does_not_make_its_place_the_speaker():
    text = (
        "Gabriela Schimmer-Göresz, Vorsitzende des ödp-Kreisverbandes Memmingen und Kandidatin in dem dortigen "
        "Stimmkreis, verteidigte sein Vorgehen. So seien am 6. September hunderte von Menschen auf die Straße gegangen."
    )
    named_speakers = speakers(text, ("Gabriela Schimmer-Göresz", "PER"), ("Memmingen", "LOC"))
    assert ("Memmingen", "LOC") not in named_speakers


def test_an_unnamed_spokesperson_is_not_the_person_quoted_before():
    text = "Anna Berg sagte, die Schulen blieben bis Ostern geschlossen. Ein Sprecher sagte, das sei noch offen und werde geprüft."
    assert speakers(text, ("Anna Berg", "PER")) == [("Anna Berg", "PER"), (None, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "sie" is the woman the text named, not the man named after her
        ("Die Sprecherin der Fraktion, Gisela Piltz, kritisierte die Pläne des Bundesinnenministers Wolfgang "
         "Schäuble. Sie sagte, die Bundesregierung nutze die Euphorie aus.", "Gisela Piltz"),
        # "er" is the man, past the woman quoted just before
        ("Ministerin Anna Berg sagte, die Schulen blieben geschlossen. Herr Max Müller widersprach ihr. "
         "Er sagte, die Schulen müssten am Montag wieder öffnen.", "Max Müller"),
    ],
)  # fmt: skip
def test_a_pronoun_refers_to_no_person_of_the_other_gender(text, expected):
    names = [(n, "PER") for n in ("Gisela Piltz", "Wolfgang Schäuble", "Anna Berg", "Max Müller") if n in text]
    assert speakers(text, *names)[-1] == (expected, "PER")


def test_a_role_of_someone_else_in_the_sentence_tells_no_gender():
    text = "Die Kanzlerin traf am Montag Peter Müller. Er sagte, das Treffen sei sehr gut verlaufen."
    assert speakers(text, ("Peter Müller", "PER"))[-1] == ("Peter Müller", "PER")


def test_a_singular_cue_keeps_sie_one_woman_whatever_ends_in_en_beside_it():
    text = "Die Ministerin Anna Berg traf die Gewerkschafter. Sie hingegen sagte, der Streik müsse sofort enden."
    assert speakers(text, ("Anna Berg", "PER"))[-1] == ("Anna Berg", "PER")


def test_a_pronoun_stays_with_the_person_named_before_when_the_text_tells_no_gender():
    text = "Die Abgeordnete Petra Pau sprach von einem Dammbruch. Sie sagte, das Gesetz gehe zu weit."
    assert speakers(text, ("Petra Pau", "PER"))[-1] == ("Petra Pau", "PER")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the person in "unter Robert Mugabe" is no subject; the one who analysed is
        ("Der Oppositionsführer Morgan Tsvangirai analysierte die Lage. Die Versuche der Regierung, unter "
         "Robert Mugabe die Macht zu halten, bezeichnete er als Verbrechen.", "Morgan Tsvangirai"),
        # after a comma the name is apposed to the role, not inside "für Menschenrechte"
        ("Bedenken sieht der Minister Thomas de Maizière nicht, anders der Hochkommissar für Menschenrechte, "
         "Said Raad al-Hussein. Er warnte, die Ausweisungen seien illegal.", "Said Raad al-Hussein"),
        # a preposition of the sentence before ("vor.") does not reach into the next sentence
        ("Edmund Stoiber legte den Entwurf am Montag vor. Auch Hessens Ministerpräsident Roland Koch "
         "kritisierte den Schritt. Er sagte, das sei ein Fehler.", "Roland Koch"),
    ],
)  # fmt: skip
def test_a_pronoun_refers_to_a_person_named_as_a_subject_before_one_in_a_prepositional_phrase(text, expected):
    names = [(n, "PER") for n in ("Morgan Tsvangirai", "Robert Mugabe", "Thomas de Maizière",
                                  "Said Raad al-Hussein", "Edmund Stoiber", "Roland Koch") if n in text]  # fmt: skip
    assert speakers(text, *names)[-1] == (expected, "PER")


def test_a_pronoun_refers_to_the_person_the_sentence_before_opens_with_past_the_speaker_quoted_earlier():
    text = ("Der Minister Peter Berg sagte, die Schulen blieben geschlossen. Der Abgeordnete Max Müller ist seit "
            "zehn Jahren im Landtag. Im Interview erklärte er, die Schulen müssten am Montag öffnen.")  # fmt: skip
    assert speakers(text, ("Peter Berg", "PER"), ("Max Müller", "PER"))[-1] == ("Max Müller", "PER")
    # the sentence before is a quotation's: the pronoun stays with its speaker
    text = ("Der Minister Peter Berg sagte, die Schulen blieben geschlossen. Der Abgeordnete Max Müller sagte, "
            "das sei falsch. Später erklärte er, die Schulen müssten am Montag öffnen.")  # fmt: skip
    assert speakers(text, ("Peter Berg", "PER"), ("Max Müller", "PER"))[-1] == ("Max Müller", "PER")


def test_demnach_is_the_source_of_the_sentence_before_though_no_entity_names_it():
    text = ("Wie das Verteidigungsministerium in Kabul mitteilte, musste der Hubschrauber notlanden. Bei einem "
            "Feuergefecht wurden demnach drei der Insassen getötet.")  # fmt: skip
    assert speakers(text, ("Kabul", "LOC")) == [("Verteidigungsministerium", "ORG")] * 2
    # "hieß es" closing what a source reported the sentence before
    text = ("Moskau wolle noch 252 Milliarden Rubel für die Raumstation ausgeben, berichtete die Zeitung Iswestija. "
            "Der Haushalt für Raumfahrt sei um fast ein Viertel geschrumpft, hieß es.")  # fmt: skip
    assert speakers(text, ("Iswestija", "ORG"))[-1] == speakers(text, ("Iswestija", "ORG"))[0] != (None, None)
    # "wonach" stands for the noun before it, not for the source of the sentence before
    text = ("Die Zelte würden sicher verwahrt, betonte das Innenministerium. Gerüchte, wonach die gespendeten "
            "Zelte entsorgt wurden, dementierte das Ministerium.")  # fmt: skip
    assert ("Innenministerium", "ORG") not in speakers(text)[1:]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Dmytro Firtasch wird gesucht. Firtaschs Anwalt Dieter Böhmdorfer erklärte, dass sein Mandant nur als "
         "Zeuge geführt werde.", ("Dmytro Firtasch", "Firtaschs", "Dieter Böhmdorfer")),
        ("Gefühle spielen keine Rolle, sagte Großbritanniens Cheftrainer Dieter Böhmdorfer.",
         ("Großbritanniens", "Dieter Böhmdorfer")),
    ],
)  # fmt: skip
def test_a_name_in_the_genitive_before_a_role_and_a_persons_name_is_not_the_speaker(text, names):
    assert speakers(text, *((n, "PER") for n in names))[-1] == ("Dieter Böhmdorfer", "PER")


def test_an_auxiliary_alone_is_no_speaker_mention():
    text = "Verletzt wurde niemand. Der Zug hatte wegen der Sperre rund drei Stunden Verspätung, wurde mitgeteilt."
    found = find_quotations(text, segment_sentences(text), [])
    assert found and all(q.speaker is None or text[q.speaker[0] : q.speaker[1]] != "wurde" for q in found)


def test_a_role_word_the_recogniser_took_for_a_person_gives_way_to_the_name_after_it():
    text = "Die Teams machen ihre Hausaufgaben nicht, sagt Kapfenberg-Coach Michael Schrittwieser."
    names = (("Kapfenberg-Coach", "PER"), ("Michael Schrittwieser", "PER"))
    assert speakers(text, *names) == [("Michael Schrittwieser", "PER")]


def test_an_associations_genitive_is_part_of_its_name_a_ministrys_only_when_listed():
    text = "Nach Angaben des Fachverbands der Mineralölindustrie lag der Verbrauch um 1,5 Prozent höher."
    assert speakers(text) == [("Fachverband der Mineralölindustrie", "ORG")]
    text = "Nach Angaben des Ministeriums des Landes lag der Verbrauch um 1,5 Prozent höher."
    assert speakers(text) == [("Ministerium", "ORG")]


def test_a_source_compound_the_recogniser_tagged_names_what_it_names():
    text = "Seit Beginn der Offensive wurden nach Militärangaben 680 Kämpfer getötet."
    assert speakers(text, ("Militärangaben", "LOC")) == [("Militär", "ORG")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the one organisation written after a noun of the kind, or a synonym: the company, the organisation
        ("Die Billigfluggesellschaft Ryanair erwägt eine Gebühr. Erst vergangene Woche kündigte der Konzern an, "
         "sämtliche Schalter zu schließen.", ("Ryanair", "ORG")),
        ("Die Menschenrechtsorganisation Cepadho zählt 30 Tote. Wie die Organisation am Montag mitteilte, "
         "brachen die Gefechte am Sonntag aus.", ("Cepadho", "ORG")),
        # another organisation named between: the noun may stand for that one
        ("Die Billigfluggesellschaft Ryanair erwägt eine Gebühr. Die Lufthansa lehnt sie ab. Erst vergangene "
         "Woche kündigte der Konzern an, sämtliche Schalter zu schließen.", (None, None)),
        # a plural, or a noun qualified by a nation: not the one written before
        ("Lufthansa und die Billigfluggesellschaft Ryanair erhöhen die Gebühren. Wie die Unternehmen am Montag "
         "mitteilten, steigen die Preise für alle Flüge deutlich an.", (None, None)),
        ("Die Billigfluggesellschaft Ryanair erwägt eine Gebühr. Erst vergangene Woche kündigte der deutsche "
         "Konzern an, sämtliche Schalter zu schließen.", (None, None)),
        # two of the kind written, one of them a name the recogniser did not take: no one
        ("Die Reisbestände gehören der Firma Euryza. Die Firma Bayer schweigt. Die Firma sagte, die Kritik sei "
         "ungerechtfertigt.", (None, None)),
    ],
)  # fmt: skip
def test_a_class_noun_alone_is_the_one_organisation_written_after_it_before(text, expected):
    names = sorted(
        ((n, "ORG") for n in ("Ryanair", "Cepadho", "Lufthansa", "Bayer") if n in text), key=lambda n: text.index(n[0])
    )
    assert speakers(text, *names)[-1] == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # no quotation just before: the author of the document the sentence before names
        ("Ein Bericht des Wirtschaftsmagazins Nikkei sorgt für Schlagzeilen. Demnach herrschen bei Konami "
         "prekäre Arbeitsbedingungen.", ("Nikkei",), ("Nikkei", "ORG")),
        ("Das geht aus der Antwort der Bundesregierung auf eine Kleine Anfrage hervor. Weitere Kosten werden "
         "demnach noch entstehen.", (), ("Bundesregierung", "ORG")),
        # the subject of a verb of making known in the perfect, after the auxiliary or before it
        ("Heute hat die Staatsanwaltschaft München I ein überraschendes Ergebnis der Obduktion bekannt "
         "gegeben. Demnach hat der Sohn Selbstmord begangen.", ("München",), ("Staatsanwaltschaft München I", "ORG")),
        ("Wien – Das Bundeskartellamt hat heute seinen Abschlussbericht vorgelegt. Demnach kann den "
         "Stromerzeugern nichts nachgewiesen werden.", (), ("Bundeskartellamt", "ORG")),
        # the subject before the auxiliary, not a document's author after it
        ("Greenpeace hat am Montag einen Bericht der EU-Kommission veröffentlicht. Demnach sterben die "
         "Wälder schneller als gedacht.", ("Greenpeace", "EU-Kommission"), ("Greenpeace", "ORG")),
        # a relative pronoun after a comma is no author's article
        ("Amnesty International veröffentlichte eine Studie, der die Regierung widerspricht. Demnach wurden "
         "150 Menschen hingerichtet.", ("Amnesty International",), (None, None)),
        # a participle's phrase between: the author is not the first name after the article
        ("Das zeigt ein neues Gutachten der im Sozialministerium angesiedelten Pensionskommission. Demnach "
         "werden die Bundesmittel anwachsen.", ("Sozialministerium",), (None, None)),
    ],
)  # fmt: skip
def test_demnach_after_no_quotation_is_the_author_the_sentence_before_names(text, names, expected):
    assert speakers(text, *((n, "LOC" if n == "München" else "ORG") for n in names))[-1] == expected


def test_den_angaben_zufolge_is_the_source_of_the_quotation_just_before():
    text = (
        "Das Verteidigungsministerium in Madrid teilte am Donnerstag mit, die Fregatte habe die Flüchtlinge "
        "aufgenommen. Die Geretteten sollten den Angaben zufolge auf die Insel Lampedusa gebracht werden."
    )
    assert speakers(text, ("Madrid", "LOC"), ("Lampedusa", "LOC")) == [("Verteidigungsministerium", "ORG")] * 2


def test_seinen_angaben_zufolge_is_what_the_person_er_refers_to_said():
    text = (
        "Der Anwalt Alexander Angelow erklärte das am Montag. Seinen Angaben zufolge wird das Volumen der "
        "Zessionen bei der Bank auf 800 Millionen geschätzt."
    )
    assert speakers(text, ("Alexander Angelow", "PER"))[-1] == ("Alexander Angelow", "PER")


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # "Der" and a feminine noun, or an adjective in "-en": a dative; the subject follows the verb
        ("Der englischsprachigen Zeitung sagte Filep Karma: „Ich werde im Gefängnis gehalten.“",
         ("Filep Karma",), ("Filep Karma", "PER")),
        ("Der Nachrichtenagentur APA sagte die Ministerin Johanna Mikl-Leitner, man werde die Vorwürfe genau "
         "prüfen.", ("APA", "Johanna Mikl-Leitner"), ("Johanna Mikl-Leitner", "PER")),
        # a phrase inside the subject's ("Der in den USA lebende …") is no dative
        ("Der in den USA lebende Schriftsteller Daniel Kehlmann sagte, er sei sehr besorgt über die Lage.",
         ("USA", "Daniel Kehlmann"), ("Daniel Kehlmann", "PER")),
        # and where no subject follows, the person in its prepositional phrase is none
        ("Der Regierung unter der Führung von Recep Tayyip Erdoğan wird vorgeworfen, sie sperre oft das "
         "Internet.", ("Recep Tayyip Erdoğan",), (None, None)),
    ],
)  # fmt: skip
def test_a_clause_opening_with_a_dative_has_its_subject_after_the_verb(text, names, expected):
    labelled = [(n, "ORG" if n.isupper() else "PER") for n in names]
    labelled = [(n, "LOC" if n == "USA" else label) for n, label in labelled]
    assert speakers(text, *labelled)[0] == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a news agency in the dative after the speaker is whom they spoke to
        ("Das werde ich auch alleine stemmen können, sagte er der APA.", ("APA",), (None, None)),
        ("Die Tarife gelten zunächst für Neukunden, sagte ein Sprecher der dpa.", ("dpa",), (None, None)),
        ("Die Verhandlungen seien weit fortgeschritten, sagten Vertraute am Montag zu Reuters.", ("Reuters",),
         (None, None)),
        # its own people and its own words: the agency speaks
        ("Die Soldaten schossen in die Luft, wie eine Reporterin der Nachrichtenagentur AFP berichtete.",
         ("AFP",), ("AFP", "ORG")),
        ("Die Regierung sei zurückgetreten, heißt es in einem Artikel der Nachrichtenagentur Reuters.",
         ("Reuters",), ("Reuters", "ORG")),
        ("Laut der dpa starben bei dem Anschlag zwölf Menschen in der Stadt.", ("dpa",), ("dpa", "ORG")),
        # an agency that is no news agency speaks where it is named
        ("Die Zahl der Ankünfte sei gestiegen, sagte ein Sprecher der EU-Grenzschutzagentur Frontex.",
         ("Frontex",), ("Frontex", "ORG")),
    ],
)  # fmt: skip
def test_a_news_agency_spoken_to_is_no_speaker(text, names, expected):
    assert speakers(text, *((n, "ORG") for n in names))[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a compound of an institution that names no one alone: the one of its kind the document names
        ("Das Finanzministerium prüft die Fälle. Die Ansuchen gingen vor einem Jahr hinaus, so der "
         "Ministeriumssprecher.", ("Finanzministerium", "ORG")),
        # one that names an institution alone stays as it is
        ("Die Kriminalpolizei ermittelt. Der Mann sei geflohen, sagte ein Polizeisprecher am Abend.",
         ("Polizei", "ORG")),
    ],
)  # fmt: skip
def test_a_spokesperson_compound_of_a_generic_institution_is_the_one_the_document_names(text, expected):
    assert speakers(text)[-1] == expected


def test_a_dateline_place_is_no_speaker():
    text = "Sirte – Die Regierung hat die Verbündeten aufgefordert, Luftangriffe gegen die Miliz zu fliegen."
    assert speakers(text, ("Sirte", "LOC"))[0][0] != "Sirte"


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ("Sie erklärten, der Streik gehe noch bis Ende der Woche weiter.", None),
        ("Am Abend teilten sie mit, der Streik gehe noch bis Ende der Woche weiter.", None),
        ("Und sie vermuten, der Streik gehe noch bis Ende der Woche weiter.", None),
        # a singular verb beside it, whatever the cue's form
        ("Am Abend ließ sie erklären, der Streik gehe noch bis Ende der Woche weiter.", "Anna Berg"),
        ("Sie musste betonen, der Streik gehe noch bis Ende der Woche weiter.", "Anna Berg"),
    ],
)
def test_sie_beside_a_plural_verb_is_no_one_person(second, expected):
    text = f"Die Ministerin Anna Berg traf die Gewerkschafter am Montag. {second}"
    assert speakers(text, ("Anna Berg", "PER"))[-1][0] == expected


def test_a_role_with_a_nationality_is_the_one_the_document_writes_so_in_that_office():
    text = (
        "Uruguays Präsident Tabaré Vázquez kam als Gast des venezolanischen Präsidenten Hugo Chávez. "
        "Der venezolanische Staatschef kündigte an, er werde einen eigenen Vorschlag zur Bank vorlegen. "
        "Der brasilianische Präsident sagte, das Abkommen schaffe neue Arbeitsplätze im ganzen Land."
    )
    assert speakers(text, ("Tabaré Vázquez", "PER"), ("Hugo Chávez", "PER")) == [
        ("Hugo Chávez", "PER"),
        (None, None),  # nobody is written as Brazil's president: not Uruguay's
    ]


def test_quoted_words_whose_own_subject_cannot_speak_are_the_speech_they_stand_in():
    text = (
        "Es gebe keine Möglichkeit, sich dagegen zu wehren, schreibt der AK Vorratsdatenspeicherung. Europäern "
        "werde ferner verweigert, Gerichte anzurufen. Die Geheimklauseln aus dem Dokument seien „alamierend“."
    )
    assert speakers(text, ("AK Vorratsdatenspeicherung", "ORG"))[-1] == ("AK Vorratsdatenspeicherung", "ORG")


def test_a_place_inside_a_name_written_after_its_kind_is_not_the_speaker():
    text = "Nach einem Bericht der Zeitung The Jakarta Post gelang es ihm trotz Bewachung, eine Flagge zu hissen."
    assert speakers(text, ("Jakarta", "LOC")) == [("The Jakarta Post", "ORG")]


def test_a_direct_quotation_inside_speech_that_goes_on_is_that_speakers():
    text = (
        "Der BGH widersprach allerdings der Ansicht, dass das Lied zu Straftaten auffordere. „Hier werden "
        "zwar Vietnamesen auf unflätigste Weise angegriffen“, allerdings sei Hetze nicht mit einer "
        "Aufforderung zu verwechseln."
    )
    assert speakers(text, ("BGH", "ORG")) == [("BGH", "ORG"), ("BGH", "ORG")]


def test_the_subject_of_a_relative_clause_with_the_cue_is_the_speaker():
    text = (
        "Festgenommen wurde ein 31-jähriger Palästinenser, von dem die Polizei glaubt, er sei für ein "
        "Attentat im Irak rekrutiert worden. Ein hoher Beamter, den die New York Times zitiert, kommentierte, "
        "die Erklärungen sollten dem Kongress ein Argument liefern."
    )
    assert speakers(text, ("Irak", "LOC"), ("New York Times", "ORG")) == [
        ("Polizei", "ORG"),
        (None, None),  # the one the newspaper quotes speaks, not the newspaper
    ]


def test_an_institution_noun_alone_is_the_one_name_it_opens_that_an_acronym_follows():
    text = (
        "Die Gewerkschaft der Polizei (GdP) warnte vor dem Einsatz. Ihr Vorsitzender wird in einer "
        "Presseerklärung der Gewerkschaft mit den Worten zitiert: „Was wir brauchen, ist eine Beendigung der "
        "Kürzungen.“"
    )
    assert speakers(text, ("GdP", "ORG"))[-1] == ("Gewerkschaft der Polizei", "ORG")


def test_a_pronoun_after_an_unnamed_spokesperson_is_the_organisation_not_a_person_named_before():
    text = (
        "Der Minister Karl Berg war am Montag in Wien. Ein Polizeisprecher sagte, der Täter sei geflohen. "
        "Er fügte hinzu, die Fahndung laufe auf Hochtouren."
    )
    assert speakers(text, ("Karl Berg", "PER"), ("Wien", "LOC")) == [("Polizei", "ORG"), ("Polizei", "ORG")]


def test_sie_inside_a_sentence_that_opens_with_an_organisation_is_the_organisation():
    text = "Die Polizei stoppte Michael Diamond betrunken am Steuer seines Autos, wie sie am Montag berichtete."
    assert speakers(text, ("Michael Diamond", "PER")) == [("Polizei", "ORG")]
    text = "Die Ministerin Anna Berg besuchte am Montag die Schule in Linz, wie sie am Abend mitteilte."
    assert speakers(text, ("Anna Berg", "PER")) == [("Anna Berg", "PER")]  # a role: the person


def test_a_pronoun_after_a_sentence_with_an_unnamed_spokesperson_is_the_spokesperson():
    text = (
        "Der Minister Karl Berg war in Gaza. Die Offensive wurde von einer Armeesprecherin bestätigt. Sie sagte, "
        "Ziel sei es, die Infrastruktur zu zerstören."
    )
    assert speakers(text, ("Karl Berg", "PER"))[-1] == ("Armee", "ORG")
    text = (
        "Der Minister Karl Berg war in Gaza. Gisela Piltz ist innenpolitische Sprecherin der Fraktion. Sie "
        "sagte, die Lage sei ernst."
    )
    assert speakers(text, ("Karl Berg", "PER"), ("Gisela Piltz", "PER"))[-1] == ("Gisela Piltz", "PER")


def test_a_role_is_the_person_the_document_writes_with_another_word_for_the_same_role():
    text = (
        "Die Kosten dürften sich laut Anwalt Mathias Kapferer auf rund 6.000 Euro belaufen. Der Richter "
        "entscheidet im Mai. Sollte der Kläger zu Recht geklagt haben, werde sein Mandant die Kosten alleine "
        "tragen müssen, so der Rechtsanwalt. Bundestagspräsident Wolfgang Thierse nahm die Auflösung an. "
        "Der Bundespräsident sagte, er sehe zu Neuwahlen keine Alternative."
    )
    assert speakers(text, ("Mathias Kapferer", "PER"), ("Wolfgang Thierse", "PER"))[1:] == [
        ("Mathias Kapferer", "PER"),  # "der Rechtsanwalt": the one written "Anwalt Mathias Kapferer"
        (None, None),  # a compound keeps its own role: the Bundestag's president is not the Bundespräsident
    ]


def test_a_role_is_the_person_the_document_names_in_an_apposition_with_it():
    text = (
        "Zu dieser Zeit ging Celebi, die Anwältin der Frau, noch davon aus, dass der Haftbefehl vollstreckt würde. "
        "Nach Aussagen der Anwältin handelte es sich um eine völlig normale Auseinandersetzung. "
        "Jean Entcha-Ebia, der Justizminister des Landes, sagte, die Lage sei ruhig. "
        "Der Minister kündigte an, das Problem werde noch heute gelöst."
    )
    assert speakers(text, ("Celebi", "PER"), ("Jean Entcha-Ebia", "PER"))[1:] == [
        ("Celebi", "PER"),  # "der Anwältin": the one written "Celebi, die Anwältin der Frau"
        ("Jean Entcha-Ebia", "PER"),
        ("Jean Entcha-Ebia", "PER"),  # "Der Minister": the Justizminister of the apposition
    ]
    # a relative clause is no apposition: Martin Schulz is not the chancellor
    text = (
        "Martin Schulz, der Kanzler Olaf Scholz kritisierte, sprach lange. Nach Aussagen des Kanzlers "
        "war die Lage in der Stadt am Montag sehr ernst."
    )
    assert speakers(text, ("Martin Schulz", "PER"), ("Olaf Scholz", "PER"))[-1] == ("Olaf Scholz", "PER")


def test_a_surname_in_the_genitive_is_the_person_the_document_names_with_it():
    text = (
        "John Kerry reiste ab. Der Fall wurde durch Gülsen Celebi bekannt. Die Familie könnte nach Celebis Angaben "
        "versuchen, die Kinder zu entführen. Kerrys Sprecher unterstrich, dass die USA den Siedlungsbau als "
        "illegal betrachteten."
    )
    names = (("John Kerry", "PER"), ("Gülsen Celebi", "PER"), ("Celebis", "LOC"), ("Kerrys", "PER"))
    assert speakers(text, *names) == [("Gülsen Celebi", "PER"), ("John Kerry", "PER")]


def test_a_name_that_opens_a_sentence_and_starts_like_a_verb_of_saying_is_the_speaker_not_the_cue():
    # "Gabriel" starts like "gab", "Gabriela" too: the verb is the one after the name
    assert speakers("Gabriel sagte, die Lage sei ernst.", ("Gabriel", "PER")) == [("Gabriel", "PER")]
    text = "Gabriela Schimmer-Göresz, Vorsitzende des Kreisverbandes, sagte, sie stehe zu ihm."
    assert speakers(text, ("Gabriela Schimmer-Göresz", "PER")) == [("Gabriela Schimmer-Göresz", "PER")]


def test_an_institution_with_an_adjective_that_names_no_one_is_the_one_of_its_kind_the_document_names():
    text = (
        "Der Bundesgerichtshof verhandelte am Dienstag über die Prämien. Der oberste Gerichtshof wertete die "
        "Zahlungen als „treupflichtwidrige Verschwendung“. Die israelische Armee erklärte, der Einsatz sei beendet."
    )
    assert speakers(text, ("Bundesgerichtshof", "ORG")) == [
        ("Bundesgerichtshof", "ORG"),
        ("israelische Armee", "ORG"),  # a nation's adjective names it: kept as written
    ]


def test_a_role_no_person_holds_is_the_office_the_document_names():
    text = (
        "Die Staatsanwaltschaft Wien hat am Montag Anklage gegen den Unternehmer erhoben. "
        "Der Staatsanwalt sagte, der Angeklagte habe das Geld bewusst und gewollt verschoben."
    )
    assert speakers(text, ("Wien", "LOC")) == [("Staatsanwaltschaft Wien", "ORG")]


def test_a_persons_name_loses_the_roles_written_before_it():
    assert canonical_names(
        [("Human Rights Watch-Sprecher Malinowski", "PER"), ("Heereskommandeur Abdel Kader Dschassim", "PER")]
    ) == ["Malinowski", "Abdel Kader Dschassim"]


def test_a_title_word_leaves_a_name_the_recogniser_took_for_an_organisation():
    assert canonical_names([("General Anupong Paochinda", "ORG")]) == ["Anupong Paochinda"]


def test_a_surname_takes_the_one_full_name_even_one_tagged_otherwise():
    assert canonical_names([("Gülsen Celebi", "ORG"), ("Celebi", "PER")]) == ["Gülsen Celebi", "Gülsen Celebi"]


def test_speech_that_goes_on_past_a_sentence_about_a_thing_stays_with_the_speaker_before():
    text = (
        "Bis zu 2.000 Menschen kommen täglich nach Serbien, sagte Innenminister Nebojsa Stefanovic am Freitag. "
        "Der Großteil reist sofort weiter. Seit Jahresbeginn seien 90.000 Migranten durch Serbien gereist."
    )
    assert speakers(text, ("Serbien", "LOC"), ("Nebojsa Stefanovic", "PER"))[-1] == ("Nebojsa Stefanovic", "PER")
    # a subject that may speak still takes the speech: a place as the subject, a role, an institution
    denied = "Die IAEA sagte, das Programm sei gefährlich. Der Iran streitet dies ab. Es diene der Forschung."
    assert speakers(denied, ("IAEA", "ORG"), ("Iran", "LOC"))[-1] == ("Iran", "LOC")


def test_an_organisation_of_a_feminine_noun_is_named_in_the_nominative():
    names = [
        ("Europäischen Union", "ORG"), ("Süddeutschen Zeitung", "ORG"), ("Technischen Universität München", "ORG"),
        ("Kronen Zeitung", "ORG"), ("Raiffeisen Bank International", "ORG"),  # names, not adjectives
        ("Vereinten Nationen", "ORG"), ("Roten Kreuzes", "ORG"),  # a plural, a neuter: their ending is unknown
    ]  # fmt: skip
    assert canonical_names(names) == [
        "Europäische Union", "Süddeutsche Zeitung", "Technische Universität München",
        "Kronen Zeitung", "Raiffeisen Bank International", "Vereinten Nationen", "Roten Kreuzes",
    ]  # fmt: skip


def test_speaker_evaluation_scores_names_on_a_literal_example(tmp_path):
    from textlake.training.evaluate import GoldArticle, GoldQuotation, PredictedQuotation
    from textlake.training.speaker_evaluation import SpeakerLabel, evaluate_speakers

    text = "Anna Berg sagte, die Schulen blieben zu. Die Polizei sagte, es gebe keine Gefahr. Experten sagten, das sei gut."
    spans = [(17, 39), (60, 80), (98, 111)]
    gold = [GoldArticle("a", text, [GoldQuotation((s,), "indirect", (), ()) for s in spans])]
    labels = [
        SpeakerLabel("a", 0, 17, "Anna Berg", "PER"),
        SpeakerLabel("a", 1, 60, "Berliner Polizei", "ORG", ("Polizei",)),
        SpeakerLabel("a", 2, 98, None, None),
    ]
    found = {17: "Berg", 60: "die Polizei", 98: None}  # a surname alone is not the full name

    def predict(_: str) -> list[PredictedQuotation]:
        return [PredictedQuotation(((s, e),), "indirect", None, None, found[s]) for s, e in spans]

    result = evaluate_speakers(gold, labels, predict, keep_errors=5)
    assert (result.persons.right, result.persons.total) == (0, 1)
    assert (result.organisations.right, result.organisations.total) == (1, 1)  # an article aside, an other form
    assert (result.unnamed.right, result.unnamed.total) == (1, 1)
    assert result.errors == [("a#0", "PER", "Anna Berg", "Berg")]


def test_two_rows_of_one_text_are_scored_against_the_gold_row_of_the_same_speaker():
    """A medium quoting a person is two rows of the same text, in gold and in a run; their order may differ."""
    from textlake.training.evaluate import GoldArticle, GoldQuotation, PredictedQuotation
    from textlake.training.speaker_evaluation import SpeakerLabel, evaluate_speakers

    text = "Die Agentur Tass zitiert Anna Berg mit den Worten: „Wir bleiben.“"
    agency, person, quoted = (0, 16), (25, 34), (52, 64)
    gold = [GoldArticle("a", text, [GoldQuotation((quoted,), "direct", (), (agency,)),
                                    GoldQuotation((quoted,), "direct", (), (person,))])]  # fmt: skip
    labels = [SpeakerLabel("a", 0, 52, "Tass", "ORG"), SpeakerLabel("a", 1, 52, "Anna Berg", "PER")]

    def predict(_: str) -> list[PredictedQuotation]:  # the person's row first
        return [PredictedQuotation((quoted,), "direct", None, person, "Anna Berg"),
                PredictedQuotation((quoted,), "direct", None, agency, "Tass")]  # fmt: skip

    result = evaluate_speakers(gold, labels, predict)
    assert (result.persons.right, result.organisations.right) == (1, 1)


@pytest.mark.slow
def test_eval_speakers_prints_the_shares_of_the_labelled_dev_articles(shared_data, tmp_path):
    import subprocess
    from pathlib import Path

    from tests.conftest import BIN

    labels = Path(__file__).parent / "data" / "wikinews_dev_speakers.jsonl"
    first = labels.read_text(encoding="utf-8").splitlines()[:20]
    some = tmp_path / "labels.jsonl"
    some.write_text("\n".join(first) + "\n", encoding="utf-8")
    run = subprocess.run(
        [str(BIN / "textlake"), "eval", "speakers", "--gold", str(shared_data / "wikinews" / "dev.jsonl"),
         "--labels", str(some), "--errors", "3"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    rows = {line[:34].strip(): line[34:].split() for line in run.stdout.splitlines()}
    named, persons, organisations = (
        rows["named (persons and organisations)"],
        rows["persons (full name, exactly)"],
        rows["organisations"],
    )
    assert int(named[1]) == int(persons[1]) + int(organisations[1]) > 0
    assert sum(line.startswith(("PER ", "ORG ", "unnamed ")) for line in run.stdout.splitlines()) <= 3
    wrong = some.read_text(encoding="utf-8").replace('"quote_start": ', '"quote_start": 1', 1)
    some.write_text(wrong, encoding="utf-8")
    run = subprocess.run(
        [str(BIN / "textlake"), "eval", "speakers", "--gold", str(shared_data / "wikinews" / "dev.jsonl"),
         "--labels", str(some)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 2 and "does not fit the gold file" in run.stderr


INTERVIEW = (
    "Im Interview spricht Außenminister Nikola Poposki über die Flüchtlingskrise. "
    "STANDARD: Wie wird Mazedonien reagieren, wenn Österreich weniger Menschen einreisen lässt? "
    "Poposki: Wir koordinieren unsere Bemühungen mit den europäischen Partnern. Mehr geht nicht. "
    "STANDARD: Und wenn Österreich die Grenze ganz schließt? "
    "Poposki: Dann werden auch wir reagieren müssen."
)


def test_an_interviews_turns_are_the_interviewers_questions_and_the_answers():
    found = find_quotations(INTERVIEW, segment_sentences(INTERVIEW), named(INTERVIEW, ("Nikola Poposki", "PER")))
    turns = [(q.kind, q.speaker_name, INTERVIEW[q.start : q.end]) for q in found]
    assert turns == [
        ("question", "STANDARD", "Wie wird Mazedonien reagieren, wenn Österreich weniger Menschen einreisen lässt?"),
        (
            "answer",
            "Nikola Poposki",
            "Wir koordinieren unsere Bemühungen mit den europäischen Partnern. Mehr geht nicht.",
        ),
        ("question", "STANDARD", "Und wenn Österreich die Grenze ganz schließt?"),
        ("answer", "Nikola Poposki", "Dann werden auch wir reagieren müssen."),
    ]


def test_an_interviewer_who_mostly_states_still_asks_the_questions():
    text = ("Brigitte Ederer leitet den Fachverband. STANDARD: Ist die Branche betroffen? Ederer: Derzeit nicht. "
            "STANDARD: Alle Firmen müssen sich derzeit extrem schnell bewegen. Ederer: Ja, das stimmt. STANDARD: "
            "Ein anderes ewiges Thema ist die Bürokratie. Ederer: Die bleibt.")  # fmt: skip
    found = find_quotations(text, segment_sentences(text), named(text, ("Brigitte Ederer", "PER")))
    assert [(q.kind, q.speaker_name, text[q.start : q.end]) for q in found] == [
        ("question", "STANDARD", "Ist die Branche betroffen?"),
        ("answer", "Brigitte Ederer", "Derzeit nicht."),
        ("question", "STANDARD", "Alle Firmen müssen sich derzeit extrem schnell bewegen."),
        ("answer", "Brigitte Ederer", "Ja, das stimmt."),
        ("question", "STANDARD", "Ein anderes ewiges Thema ist die Bürokratie."),
        ("answer", "Brigitte Ederer", "Die bleibt."),
    ]


def test_a_colon_after_a_word_that_names_nobody_is_no_turn():
    text = (
        "Fazit: Das Wetter bleibt am Wochenende gut. Wien: Die Stadt wächst weiter. Achtung: Die Straße ist gesperrt."
    )
    assert [q.kind for q in find_quotations(text, segment_sentences(text), [])] == []


def test_speech_after_a_verb_of_saying_and_a_colon_is_captured_without_quotation_marks():
    text = "Und Arbeiterkammer-Präsident Rudolf Kaske meinte: Wir sind noch nicht am Ende der Regierungsperiode."
    found = find_quotations(text, segment_sentences(text), named(text, ("Rudolf Kaske", "PER")))
    assert [(q.kind, text[q.start : q.end], q.speaker_name) for q in found] == [
        ("direct", "Wir sind noch nicht am Ende der Regierungsperiode", "Rudolf Kaske")
    ]


def test_an_institution_noun_alone_is_the_one_of_its_kind_the_document_names():
    text = "Das Innenministerium prüft den Fall. Wie das Ministerium mitteilte, seien alle Unterlagen übergeben worden."
    assert speakers(text) == [("Innenministerium", "ORG")]


def test_a_surname_takes_the_given_name_written_right_before_it_and_no_compound_noun():
    from textlake.nlp.workers import recognizer_for
    from textlake.settings import Settings

    recognizer = recognizer_for(Settings())
    given = recognizer.given_name
    assert given is not None
    assert [
        w for w in ("Gülsen", "Arminda", "Parteikollegen", "Architektenbüro", "Löwen-Keeper", "Heute") if given(w)
    ] == [
        "Gülsen",
        "Arminda",
    ]
    [mentions] = recognizer.recognise(["Gülsen Celebi gab an, dass ihre Mandantin große Angst hatte."])
    assert [(m.text, m.label) for m in mentions if m.label == "PER"] == [("Gülsen Celebi", "PER")]


def test_whom_the_speech_is_addressed_to_is_not_the_speaker():
    text = "Anna Berg leitet die Schule. Man kann nicht jeden glücklich machen, sagt sie zum STANDARD."
    assert speakers(text, ("Anna Berg", "PER"), ("STANDARD", "ORG"))[-1] == ("Anna Berg", "PER")


def test_a_name_the_recogniser_missed_takes_turns_when_it_answers_a_medium():
    text = (
        "STANDARD: Wie geht es weiter mit dem Verein? Zeidler: Wir arbeiten jeden Tag daran. "
        "STANDARD: Und die Fans? Zeidler: Die stehen hinter uns."
    )
    found = find_quotations(text, segment_sentences(text), [])
    assert [(q.kind, q.speaker_name) for q in found] == [
        ("question", "STANDARD"), ("answer", "Zeidler"), ("question", "STANDARD"), ("answer", "Zeidler")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("Der Weltbank zufolge hat der Gazastreifen die höchste Arbeitslosenquote der ganzen Welt.", (),
         ("Weltbank", "ORG")),
        ("Es bestehe aber keine Lebensgefahr für die Verletzten, sagte ein Sprecher der Präfektur.", (),
         ("Präfektur", "ORG")),
        # a role the recogniser took for a person names nobody
        ("Ex-OGH-Präsidentin fordert ein Fairnessabkommen von allen Kandidaten der Wahl.",
         (("Ex-OGH-Präsidentin", "PER"),), (None, None)),
    ],
)  # fmt: skip
def test_institutions_and_roles_read_from_a_10kgnad_sample(text, names, expected):
    assert speakers(text, *names)[-1] == expected


def test_an_interview_turn_is_a_persons_though_the_recogniser_took_the_name_for_a_place():
    text = (
        "STANDARD: Was bedeutet Ostern? Landau: Die Auferstehung hat ihren Reiz. STANDARD: Und sonst? Landau: Nichts."
    )
    found = find_quotations(text, segment_sentences(text), named(text, ("Landau", "LOC")))
    assert [(q.kind, q.speaker_name, q.speaker_label) for q in found][1] == ("answer", "Landau", "PER")


def test_a_surname_in_the_genitive_is_the_one_person_of_that_name_though_named_by_surname_alone():
    text = "Innenminister Kickl kam am Abend. Nach Kickls Worten sei die Lage ernst und werde sich verschärfen."
    assert speakers(text, ("Kickl", "PER"), ("Kickls", "LOC")) == [("Kickl", "PER")]


def test_an_interview_turn_by_a_surname_is_the_person_the_document_names_in_full():
    text = (
        "Caritas-Präsident Michael Landau und Sabine Haag, Direktorin des Kunsthistorischen Museums, im Gespräch. "
        "STANDARD: Was bedeutet Ostern? Haag: Die Auferstehung hat ihren Reiz. STANDARD: Und Sie? Landau: Nichts."
    )
    turns = [Name(text.index(f"{n}:"), text.index(f"{n}:") + len(n), "LOC", n) for n in ("Haag", "Landau")]
    names = named(text, ("Michael Landau", "PER"), ("Sabine Haag", "PER")) + turns  # the recogniser: places
    found = find_quotations(text, segment_sentences(text), sorted(names, key=lambda n: n.start))
    answers = [(q.speaker_name, q.speaker_label) for q in found if q.kind == "answer"]
    assert answers == [("Sabine Haag", "PER"), ("Michael Landau", "PER")]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an apposition between the name and the verb, opened by "seines Zeichens" or by a role
        ("Barry Steinhardt, seines Zeichens Direktor der Bürgerrechtsorganisation ACLU, warnte erst vor kurzem: "
         "„Die Gesetze sind schwach.“", (("Barry Steinhardt", "PER"), ("ACLU", "ORG")), ("Barry Steinhardt", "PER")),
        ("Renate Künast, Fraktionschefin von Bündnis 90/Die Grünen, kritisierte: „Dieser Minister ist untragbar.“",
         (("Renate Künast", "PER"), ("Bündnis 90/Die Grünen", "ORG")), ("Renate Künast", "PER")),
        # a name and the clause about it are the subject, not what was said
        ("Celebi, die beinahe nur muslimische Frauen vertritt, nennt das Ereignis einen Justizskandal.",
         (("Celebi", "PER"),), ("Celebi", "PER")),
        ("Artur Ionita, der beim Klub Hellas Verona spielt, sagte wegen Kniebeschwerden ab.",
         (("Artur Ionita", "PER"), ("Hellas Verona", "ORG")), ("Artur Ionita", "PER")),
        # two speakers joined by "und", each with a role: the first, as a reader names them
        ("Der Geschäftsführer der Grünen, Volker Beck, und Wolfgang Wieland, Sprecher für Innere Sicherheit, "
         "sprachen von einem „bürgerrechtlichen Dammbruch“.", (("Volker Beck", "PER"), ("Wolfgang Wieland", "PER")),
         ("Volker Beck", "PER")),
        # a list of names is what was said, and the source after the verb names nobody
        ("BMW, Daimler und der VW-Konzern wollen unabhängiger von Google werden, heißt es in der Branche.",
         (("BMW", "ORG"), ("Daimler", "ORG"), ("Google", "ORG")), (None, None)),
    ],
)  # fmt: skip
def test_the_subject_before_an_apposition_or_a_relative_clause_speaks(text, names, expected):
    assert speakers(text, *names)[-1] == expected


def test_speech_that_goes_on_is_the_persons_named_after_a_comma_behind_their_role():
    text = (
        "Der Präsident des Deutschen Fußballbundes (DFB), Reinhard Grindel, zeigte sich am Montag zufrieden. "
        "Der Verband sei auf einem guten Weg und werde die Reform fortsetzen."
    )
    names = (("Deutschen Fußballbundes", "ORG"), ("DFB", "ORG"), ("Reinhard Grindel", "PER"))
    assert speakers(text, *names)[-1] == ("Reinhard Grindel", "PER")


def test_the_subject_phrase_ends_before_the_objects_possessive():
    text = "In seiner Radioansprache begründete der brasilianische Präsident seine Position: „Wir produzieren Öl.“"
    [quotation] = find_quotations(text, segment_sentences(text), [])
    assert quotation.speaker is not None
    assert text[quotation.speaker[0] : quotation.speaker[1]] == "der brasilianische Präsident"


def test_speech_in_the_subjunctive_goes_on_from_the_person_after_the_verb_of_the_sentence_before():
    text = (
        "Petra Pau kündigte eine Klage an. Unterdessen verteidigte der Vorsitzende des Innenausschusses, "
        "Sebastian Edathy, den Entwurf. Er halte die Verlängerung der Gesetze für vertretbar."
    )
    names = (("Petra Pau", "PER"), ("Sebastian Edathy", "PER"))
    assert speakers(text, *names)[-1] == ("Sebastian Edathy", "PER")
    # after a form of "sein" in second place the name is seldom the subject: the speaker before goes on
    linked = "Petra Pau kündigte eine Klage an. Zuletzt war Sebastian Edathy im Gespräch. Man halte das für falsch."
    assert speakers(linked, *names)[-1] == ("Petra Pau", "PER")


def test_speech_in_the_subjunctive_goes_on_from_the_subject_of_a_verb_of_saying_with_no_speech_found():
    names = (("Schieder", "PER"),)
    text = (
        "Die Sozialpartner verhandeln. Das könne er nur schwer mittragen, meinte Schieder, "
        "betonte aber: Das ist kein schlechter Vorschlag. Komme nichts heraus, würde er ein Vorgehen unterstützen."
    )
    assert speakers(text, *names)[-1] == ("Schieder", "PER")
    # a pronoun stands for no one there, and a place is not who spoke
    place = (
        "Die Wahlbehörde zählt die Stimmen. Was den Fall Leopoldstadt betrifft, betonte man im Büro der Stadträtin "
        "folglich, dass geprüft wurde. Sollte jemand Zweifel haben, bleibe der Weg zum Verfassungsgerichtshof."
    )
    assert speakers(place, ("Leopoldstadt", "LOC"))[-1] == (None, None)


def test_a_person_written_by_their_age_is_the_person_named_last_in_a_prepositional_phrase_too():
    names = (("Borussia Dortmund", "ORG"), ("Aleksandar Dragovic", "PER"))
    text = (
        "Das Interesse von Borussia Dortmund an Aleksandar Dragovic stößt offenbar auf Gegeninteresse. "
        "Reizvoll wäre es auf jeden Fall, sagte der 25-Jährige im Interview."
    )
    assert speakers(text, *names) == [("Aleksandar Dragovic", "PER")]
    assert speakers(
        "Anna Berg kam nach Wien. Es sei eine schöne Stadt, sagte die 42-Jährige.", ("Anna Berg", "PER")
    ) == [("Anna Berg", "PER")]


def test_eval_speakers_says_in_one_line_which_line_is_not_a_label(tmp_path):
    import subprocess

    from tests.conftest import BIN

    gold, labels = tmp_path / "gold.jsonl", tmp_path / "labels.jsonl"
    gold.write_text('{"id": "a", "text": "Er sagte, es sei gut.", "quotes": []}\n', encoding="utf-8")
    labels.write_text('{"article": "a", "quote": 0}\n', encoding="utf-8")
    run = subprocess.run(
        [str(BIN / "textlake"), "eval", "speakers", "--gold", str(gold), "--labels", str(labels)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr == f"textlake: {labels}, line 1: not a speaker label (KeyError: 'quote_start')\n"
