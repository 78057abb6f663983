"""Development tooling: replay server, offline demo and its sample corpus, local Airflow,
scratch databases, dictionary converters.

The runtime (``pipeline`` outside ``pipeline/cli``) never imports this package; the CLI's
development commands (``newswire replay``, ``demo``, ``airflow``, ``dedup --jsonl``,
``db serve``) import it inside the command (``tests/unit/test_import_rules.py``).
"""
