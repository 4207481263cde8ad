"""Record files: one document per record of a JSON Lines, JSON, CSV/TSV or Parquet file or a zip of them."""
