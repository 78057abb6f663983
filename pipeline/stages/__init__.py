"""The pipeline's stages in data-flow order: feeds → fetch → extract → dedup → events.

Each stage has a pure core (parse, extract, fingerprint, code) and its I/O at the edges; the
service layer (:mod:`pipeline.services`) sequences them. Stages never import the CLI, the DAGs
or the services (``tests/unit/test_import_rules.py``).
"""
