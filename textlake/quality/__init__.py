"""Data quality: the Great Expectations suites run on staged tables, their recorded results, Data Docs."""
