"""textlake: raw text files → validated documents, sentences and entities in Parquet and DuckDB.

Importing the package switches off every phone-home the libraries underneath would make: textlake
runs offline and keeps what it reads private.
"""

import os

for _name, _value in {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    # A cold first start of Prefect's ephemeral API (database migrations) can exceed the default wait.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}.items():
    os.environ.setdefault(_name, _value)

__version__ = "0.1.0"
