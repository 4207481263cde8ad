"""The lake: table contracts from `schemas/`, Arrow tables built from analysed documents, Parquet staged per
run and published by rename."""
