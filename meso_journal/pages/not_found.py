"""The page for addresses the app does not know.

Some addresses belong to the server rather than to the app (sign-in and
sign-up are server-rendered, so are share links and downloads). When a link
or a redirect inside the app leads to one, the app's router lands here; the
page then loads the address from the server instead. Opened directly, it
says the page does not exist."""

import reflex as rx
from reflex_base.utils.imports import ImportVar

from meso_journal import routes, styles
from meso_journal.components.layout import plain_layout


class ServerHandoff(rx.Fragment):
    """Reloads the address from the server when the app's router, not the
    server, brought the browser here (the document was loaded for another path)."""

    def add_imports(self):
        return {"react": [ImportVar(tag="useEffect")]}

    def add_hooks(self) -> list[str]:
        return [
            """useEffect(() => {
  const loaded = performance.getEntriesByType("navigation")[0];
  if (loaded && new URL(loaded.name).pathname !== window.location.pathname) window.location.reload();
}, []);"""
        ]


def not_found_page() -> rx.Component:
    return plain_layout(
        ServerHandoff.create(),
        rx.heading("Page not found", as_="h1", size="7"),
        rx.text("There is nothing at this address. Your journal is still here.", color=styles.muted_text),
        rx.link(
            "Back to your journal", href=routes.TIMELINE, style=styles.tap_target, display="flex", align_items="center"
        ),
    )
