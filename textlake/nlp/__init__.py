"""The language stages: sentences, entities, canonical names, the worker processes that run them, the NER model
code and its evaluation. Never imports the warehouse or Prefect."""
