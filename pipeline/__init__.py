"""newswire: wire-news ingestion into PostgreSQL.

Feeds are polled, linked articles fetched and extracted, deduplicated into stories and coded into
CAMEO diplomatic events. Every stage lives in its own module with a pure core and its I/O at the
edges, so the CLI, the Airflow DAGs and the tests call the same functions.
"""

import logging

__all__ = ["__version__"]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
