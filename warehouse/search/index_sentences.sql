-- (Re)build the BM25 index over sentences.text: German stemmer, no stop words, accents kept, lower case.
PRAGMA create_fts_index('sentences', 'sentence_id', 'text', stemmer = 'german', stopwords = 'none', strip_accents = 0, lower = 1, overwrite = 1);
