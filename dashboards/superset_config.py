"""Superset configuration for the newswire dashboard: local, offline, loopback only.

Read by Superset through SUPERSET_CONFIG_PATH (set by dashboards/superset.py). Everything that
could reach the network is off: no telemetry pixel (the Content-Security-Policy allows only this
server), no examples, no thumbnails or reports, no external map tiles.
"""

import os
from pathlib import Path

HOME = Path(os.environ.get("NEWSWIRE_SUPERSET_HOME", "var/superset")).resolve()
SECRET_KEY = (HOME / "secret_key").read_text().strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{HOME / 'superset.db'}"
DATA_DIR = str(HOME)
SUPERSET_WEBSERVER_ADDRESS = "127.0.0.1"
SUPERSET_WEBSERVER_PORT = int(os.environ.get("NEWSWIRE_SUPERSET_PORT", "8088"))

# offline: nothing fetched from or sent to the internet
MAPBOX_API_KEY = ""
FEATURE_FLAGS = {"THUMBNAILS": False, "ALERT_REPORTS": False, "EMBEDDED_SUPERSET": False}
SCHEDULED_QUERIES: dict[str, object] = {}
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
# a local single-user tool: no CSRF on the JSON API is needed by the installer, keep it for forms
WTF_CSRF_ENABLED = True
WTF_CSRF_EXEMPT_LIST = ["superset.views.core.log", "superset.charts.data.api.data"]
# the views are the only thing the dashboard may read; no uploads, no DML
PREVENT_UNSAFE_DB_CONNECTIONS = True
ROW_LIMIT = 50000
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
LOG_LEVEL = "WARNING"
