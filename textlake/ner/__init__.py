"""The German NER model textlake ships: gold-data reading, the gazetteer component, the build."""
