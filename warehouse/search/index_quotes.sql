-- (Re)build the BM25 index over quotes: the quotation and its speaker, German stemmer, as for sentences.
PRAGMA create_fts_index('quotes', 'quote_id', 'text', 'speaker', 'speaker_canonical', stemmer = 'german', stopwords = 'none', strip_accents = 0, lower = 1, overwrite = 1);
