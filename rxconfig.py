import os

import reflex as rx

from meso_journal import settings, styles
from radix_theme import RadixThemes

config = rx.Config(
    app_name="meso_journal",
    db_url=settings.DB_URL,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Front end and back end on one port in production (`reflex run --env prod --single-port`).
    frontend_port=settings.PORT,
    backend_port=settings.PORT,
    cors_allowed_origins=list(settings.ALLOWED_ORIGINS),
    # Server-side state is a cache; memory keeps patient data off the disk.
    # Several workers need Redis (REFLEX_REDIS_URL), which Reflex then uses.
    state_manager_mode="redis" if os.getenv("REFLEX_REDIS_URL") else "memory",
    # Brotli first: on a tie (browsers accept both) the first listed format is served.
    frontend_compression_formats=["brotli", "gzip"],
    plugins=[
        RadixThemes(theme=rx.theme(accent_color=styles.ACCENT, radius="large", appearance="inherit")),
    ],
    # A private journal has nothing for search engines to list.
    disable_plugins=[rx.plugins.SitemapPlugin],
)
