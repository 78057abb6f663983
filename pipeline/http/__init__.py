"""All network I/O: the polite HTTP client (:mod:`.client`) over the SSRF guard (:mod:`.netguard`).

The only package that imports ``httpx`` (``tests/unit/test_import_rules.py``).
"""
