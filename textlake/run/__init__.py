"""One run's bookkeeping: the data-dir lock, the summary people read, what the cycle collector scans."""
