"""Building the NER model: corpora, their readers, the lexicon's word lists and the training itself (`make model`)."""
