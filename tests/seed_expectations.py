"""What the shipped NER model finds in the seed article: the one place a retrain updates (the model card
states the same figures). Every other test is written against literal rows or checks invariants."""

SEED_PERSONS = {"Wladimir Putin", "Alexander Lukaschenko"}
SEED_PLACES = {"Russland", "Belarus", "St. Petersburg", "Ukraine", "Moskau", "Litauen", "Polen", "Minsk", "Wladiwostok"}
SEED_NOT_PLACES = {"Iskander-M"}  # a missile system
# mentions per canonical name, as an analyst counts them in the seed
SEED_MENTIONS = {"Wladimir Putin": 8, "Alexander Lukaschenko": 5, "Russland": 7}
# quotations per speaker in the seed, as quotes_by_speaker counts them (direct speech decided by the rules)
SEED_QUOTATIONS = {"Wladimir Putin": 6, "Alexander Lukaschenko": 6}
# a speaker and a name inside their quotations ("Minsk muss auf alles vorbereitet sein, …")
SEED_QUOTE_TOPIC = ("Alexander Lukaschenko", "Minsk")
# a word of a direct quotation, and whose it is
SEED_QUOTED_WORD = ("Vaterland", "Alexander Lukaschenko")
# the person mentioned most
SEED_TOP_PERSON = "Wladimir Putin"
