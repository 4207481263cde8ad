"""What the shipped NER model finds in the seed article: the one place a retrain updates (the model card
states the same figures). Every other test is written against literal rows or checks invariants."""

SEED_PERSONS = {"Wladimir Putin", "Alexander Lukaschenko"}
SEED_PLACES = {"Russland", "Belarus", "St. Petersburg", "Ukraine", "Moskau", "Litauen", "Polen", "Minsk", "Wladiwostok"}
SEED_NOT_PLACES = {"Iskander-M"}  # a missile system
# mentions per canonical name, as an analyst counts them in the seed
SEED_MENTIONS = {"Wladimir Putin": 8, "Alexander Lukaschenko": 5, "Russland": 7}
