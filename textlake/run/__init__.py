"""One run's bookkeeping: the data-dir lock and the summary people read."""
