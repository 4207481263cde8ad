"""The DuckDB warehouse: connections, the state incremental runs start from, one-transaction loads, full-text
search and the HTML report."""
