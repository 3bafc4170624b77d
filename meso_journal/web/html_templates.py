"""The Jinja environment of the server-rendered pages (templates/): the
doctor's view and sign-in/sign-up. Autoescaped: a patient's text is always
text."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from meso_journal.rules import catalog, describe, evidence, schedule

templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
# What the share templates use to word the records.
templates.globals.update(describe=describe, catalog=catalog, evidence=evidence, schedule=schedule)
