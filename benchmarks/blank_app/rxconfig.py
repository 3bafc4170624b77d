"""The blank Reflex app that benchmarks/load.py measures beside ours.

Same Reflex version, same state manager (memory, one worker) and same
production server; nothing else of ours. No database is used.
"""

import os

import reflex as rx

config = rx.Config(
    app_name="blank_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    state_manager_mode="memory",
    # Only the port the benchmark starts it on may open a websocket, as in ours.
    cors_allowed_origins=[f"http://localhost:{os.getenv('PORT', '3000')}"],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
