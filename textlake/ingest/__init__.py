"""Reading input: files found, bytes decoded, text normalised, header parsed, language detected, triage against
what earlier runs read. Plain functions; never imports the warehouse, Prefect or the NLP."""
