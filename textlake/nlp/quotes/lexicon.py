"""The German words the quotation rules read: verbs of saying, the subjunctive's forms, pronouns, frames."""

from __future__ import annotations

# Verbs of saying, in the forms news text uses them (3rd person, past and present, participles). A word
# is a cue when it starts with one of these stems; the list was read off the train split's cues and kept
# where a word is a cue more often than not.
SAYING = (
    "sagt",
    "sagte",
    "erklärt",
    "betont",
    "teilte",
    "teilt",
    "bericht",
    "meint",
    "schrieb",
    "schreibt",
    "bestätigt",
    "forderte",
    "fordert",
    "kritisiert",
    "warnt",
    "äußert",
    "bezeichne",
    "nannte",
    "nennt",
    "behauptet",
    "versichert",
    "kündigte",
    "kündigt",
    "hieß",
    "heißt",
    "zitiert",
    "begründe",
    "vermute",
    "hofft",
    "glaubt",
    "befürchte",
    "fügte",
    "ergänzt",
    "unterstrich",
    "unterstreicht",
    "mahnt",
    "verlangt",
    "appelliert",
    "bekräftigt",
    "räumte",
    "räumt",
    "gestand",
    "dementiert",
    "bestritt",
    "bestreitet",
    "erläutert",
    "verkündet",
    "meldet",
    "lautet",
    "antwortet",
    "entgegnet",
    "argumentiert",
    "sprach",
    "spricht",
    "wies",
    "verwies",
    "gab",
    "gibt",
    "geht",
    "ging",
    "vermeldet",
    "beklagt",
    "beteuert",
    "versprach",
    "verspricht",
    "drohte",
    "droht",
    "bekannte",
    "erinnerte",
    "stellte",
    "zeigte",
    "kommentiert",
    "resümiert",
    "berichtete",
    "gesagt",
    "erklärte",
    "mitteilte",
    "mitgeteilt",
    "angekündigt",
    "vorgeworfen",
    "wirft",
    "warf",
    "beschuldigt",
    "aufgefordert",
    "angegeben",
    "geäußert",
    "schlug",
    "schlägt",
    "rief",
    "ruft",
    "darleg",
    "dargeleg",
    "führte",
    "führt",
    "empfahl",
    "empfiehlt",
    "empfohlen",
    "beschloss",
    "beschließt",
    "schätzt",
    "schätzte",
    "prognostiz",
    # participles ("Ferner habe die Studie festgestellt, dass …")
    "festgestellt",
    "gefordert",
    "gewarnt",
    "eingeräumt",
    "hingewiesen",
    "bekanntgegeben",
    "vorgeschlagen",
    "geschrieben",
    "gemeldet",
    "zugegeben",
    "unterstrichen",
    "gemeint",
    "erwidert",
    "geantwortet",
    # plural and infinitive forms ("Politische Berater sagen, dass …", "Experten warnen, …")
    "sagen",
    "erklären",
    "betonen",
    "meinen",
    "schreiben",
    "fordern",
    "warnen",
    "behaupten",
    "glauben",
    "vermuten",
    "befürchten",
    "kritisieren",
)


# Words starting like a verb of saying that are not one.
NOT_SAYING = frozenset(
    {
        "bekannten",  # the adjective "known", not the verb "confessed"
        "bekannter",
        "bekanntes",
        "bekanntem",
        "berichts",
        "bericht",
        "berichte",
        "berichten",
        "gabe",
        "gaben",
        "geht's",
        "stellten",
        "zeigten",
        "gibt's",
        "erklärung",
        "erklärungen",
        "forderung",
        "forderungen",
        "kritik",
        "warnung",
        "äußerung",
        "äußerungen",
        "bestätigung",
        "heißt",
        "gehts",
        "stellt",
        "zeigt",
        "meinung",
        "bezeichnung",
        "begründung",
        "ergänzung",
        "antworten",
        "antwort",
        "geht",
        "ging",
        "gibt",
        "gab",
        "stellte",
        "zeigte",
        "spricht",
        "sprach",
        "wies",
        "verwies",
        "wirft",
        "warf",
        "lautet",
    }
)


# Of those, the ones that need a particle or a partner word to be about speech: "gab an", "teilte mit",
# "wies darauf hin", "stellte fest", "geht davon aus", "sprach von", "zeigte sich", "warf vor".
WITH_PARTNER = {
    "schlug": ("vor",),
    "schlägt": ("vor",),
    "rief": ("auf", "dazu"),
    "ruft": ("auf", "dazu"),
    "führte": ("aus",),
    "führt": ("aus",),
    "gab": ("an", "bekannt", "zu"),
    "gibt": ("an", "bekannt", "zu"),
    "geht": ("davon",),
    "ging": ("davon",),
    "stellte": ("fest", "klar"),
    "stellt": ("fest", "klar"),
    "zeigte": ("sich",),
    "zeigt": ("sich",),
    "sprach": ("von", "davon", "sich"),
    "spricht": ("von", "davon", "sich"),
    "wies": ("hin", "darauf"),
    "weist": ("hin", "darauf"),
    "verwies": ("darauf", "auf"),
    "wirft": ("vor",),
    "warf": ("vor",),
    "lautet": (),
    "heißt": ("es",),
}


# The reporting subjunctive (Konjunktiv I) and the reportive modal, third person.
SUBJUNCTIVE = frozenset(
    {
        "sei",
        "seien",
        "habe",
        "werde",
        "könne",
        "müsse",
        "solle",
        "wolle",
        "dürfe",
        "möge",
        "gebe",
        "liege",
        "stehe",
        "komme",
        "gehe",
        "bleibe",
        "wisse",
        "handle",
        "handele",
        "brauche",
        "fehle",
        "gelte",
        "erwarte",
        "plane",
        "sehe",
        "lasse",
        "halte",
        "trage",
        "arbeite",
        "bestehe",
        "beabsichtige",
        "verfüge",
        # third-person forms in -e whose indicative ends in -t ("stecke"/"steckt"), read off 10kGNAD and
        # the Wikinews train split; adjectives of the same shape ("reiche", "sichere") left out
        "glaube",
        "denke",
        "mache",
        "hoffe",
        "stelle",
        "zeige",
        "kenne",
        "sage",
        "verstehe",
        "führe",
        "hänge",
        "setze",
        "funktioniere",
        "gehöre",
        "ausgehe",
        "fühle",
        "unterstütze",
        "lege",
        "wirke",
        "schaffe",
        "spiele",
        "drohe",
        "bringe",
        "lebe",
        "freue",
        "gewinne",
        "verlange",
        "versuche",
        "reagiere",
        "stecke",
        "beschäftige",
        "nutze",
        "existiere",
        "betreibe",
        "entstehe",
        "heiße",
        "erfülle",
        "erfolge",
        "benötige",
        "dauere",
        "höre",
        "äußere",
        "wünsche",
        "stamme",
        "sinke",
        "verstärke",
        "baue",
        "darstelle",
        "warne",
        "verletze",
        "suche",
        "verdächtige",
        "lehne",
        "diene",
        "entschuldige",
        "erkenne",
        "vorliege",
        "rechtfertige",
        "schreibe",
        "beginne",
        "obliege",
        "verliere",
        "fördere",
        "garantiere",
        "steige",
        "treibe",
        "löse",
        "stimme",
        "drücke",
        "erspare",
        "gelinge",
        "beschränke",
        "kritisiere",
        "überzeuge",
        "ziehe",
        "bekomme",
        "erlebe",
        "erwäge",
        "kümmere",
        "erinnere",
        "erhöhe",
        "wähle",
        "erzähle",
        "vermisse",
        "erkläre",
        "beunruhige",
        "besitze",
        "gelange",
        "angehöre",
    }
)


# The second subjunctive: conditional as often as reported ("Das hätte Folgen"), so it continues the speech
# of the sentence right before only.
SUBJUNCTIVE_TWO = frozenset(
    {"hätte", "hätten", "würde", "würden", "wäre", "wären", "könnte", "könnten", "müsste", "müssten"}
    | {"dürfte", "dürften", "käme", "kämen", "gäbe", "gäben"}
)


# Reported speech is in the third person: "Ich habe das Gefühl, es sei zu spät" is an interviewee or the
# writer speaking (in train, 0 of 20 such subjunctive sentences are gold quotations).
FIRST_PERSON = frozenset({"ich", "Ich", "wir", "Wir"})


REPORTIVE = frozenset({"soll", "sollen"})


PRONOUNS = frozenset({"er", "sie", "Er", "Sie"})


# The same after the verb, inside a clause, where German writes them in lower case ("sagte er").
PRONOUNS_AFTER_THE_VERB = frozenset(p for p in PRONOUNS if p.islower())


ARTICLES = frozenset(
    {
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "das",
        "seine",
        "seines",
        "seiner",
        "ihre",
        "ihres",
        "ihrer",
        "ihren",
        "seinen",
        "dessen",
        "deren",
    }
)


NP_WORDS = frozenset(
    {
        "der",
        "des",
        "dem",
        "den",
        "die",
        "von",
        "vom",
        "eines",
        "einer",
        "einem",
        "zur",
        "zum",
        "aus",
        "und",
        "sowie",
        "in",
        "im",
        "am",
        "an",
        "bei",
        "beim",
        "für",
        "seines",
        "seiner",
        "ihres",
        "ihrer",
    }
)


# Words that attribute a short quoted phrase to someone without a verb of saying ("nannte es „falsch“",
# "von einem „Wortbruch“ sprechen", "als „drastisch“ bezeichnet").
ATTRIBUTING = frozenset({"als", "von", "laut", "zufolge", "nach", "so"})


# Little words inside names and titles ("BILD am Sonntag", "Polizei von DeLand", "The Nation").
TITLE_GLUE = frozenset(
    {
        "am",
        "an",
        "von",
        "vom",
        "der",
        "des",
        "dem",
        "den",
        "die",
        "das",
        "und",
        "im",
        "in",
        "zur",
        "zum",
        "für",
        "of",
        "the",
        "and",
        "de",
        "la",
        "le",
        "e.V",
        "auf",
        "mit",
    }
)


# A sentence that opens with one of these and a verb of saying reports the sentence before it.
BACK_REFERENCES = frozenset({"Das", "Dies"})


PASSIVE = frozenset({"wird", "wurde", "werden", "wurden"})


MEDIUM_PREPOSITIONS = frozenset({"von", "vom", "in", "im", "auf", "bei", "beim"})


# Verbs of saying that, without a clause, report no speech the gold counts ("zeigte sich zufrieden",
# "kritisierte den Plan", "bestätigte den Vorfall"): in train, 1 of the 45 such sentences is a gold quotation.
NOT_REPORTING_ALONE = ("kritisier", "zeig", "äußer", "laut", "bestätig", "mitgeteilt", "meint")


LEADING = frozenset({"auch", "doch", "aber", "und", "so", "zudem", "jedoch", "dann", "nun", "außerdem"})


# Words that open a sentence with its subject ("Die Polizei …"), not with an adverbial.
SENTENCE_SUBJECTS = frozenset({"Der", "Die", "Das", "Ein", "Eine", "Andere", "Mehrere", "Viele", "Beide"})


SUBJECT_OPENERS = frozenset({"der", "die", "das", "ein", "eine", "sein", "seine", "ihr", "ihre", "dessen"})


# The last word of a statement's main clause right before ", dass"/", ob": particles of verbs that state or
# conclude and judgements that frame a claim (in train the rule finds 29 more quotations, 26 of them gold).
CLAUSE_OPENERS = frozenset(
    {"bekannt", "an", "aus", "heraus", "darüber", "darauf", "möglich", "unwahrscheinlich", "angenommen"}
)


FRAME_WORDS = (
    "angaben",
    "ansicht",
    "worten",
    "auffassung",
    "meinung",
    "einschätzung",
    "informationen",
    "berichten",
    "darstellung",
    "aussage",
    "aussagen",
    "auskunft",
    "schätzungen",
    "erkenntnissen",
    "bewertung",
    "überzeugung",
    "recherchen",
    "angabe",
    "zählung",
    "meldungen",
    "vorstellungen",
    "bericht",
    "berechnungen",
    "ermittlungen",
    "erkenntnisstand",
    "analyse",
    "planungen",
    "nachricht",
    "ankündigung",
    "darstellungen",
    "stellungnahme",
    "schätzung",
    "erfahrungen",
    "quellenlage",
    "bekunden",
    "studie",
    "medienberichten",
    "urteil",
)


STANDALONE_FRAMES = frozenset({"demnach", "wonach"})
