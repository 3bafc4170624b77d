"""Form pieces for plain HTML forms posted to our own routes (web/api.py).

Reflex's rx.el.form always prevents the browser's own submission; account
forms need it (the cookie is set by the response), so NativeForm is the bare
<form> element.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.el.elements.base import BaseHTML

from meso_journal import routes, styles
from meso_journal.components.offline import journal_owner


class NativeForm(BaseHTML):
    tag = "form"
    action: rx.Var[str]
    method: rx.Var[str]
    enc_type: rx.Var[str]
    no_validate: rx.Var[bool]


native_form = NativeForm.create

INPUT_STYLE = {
    **styles.input_style,
    "padding": "0 0.75rem",
    "border": styles.border,
    "border_radius": "var(--radius-3)",
    "background": rx.color("gray", 1),
    "color": rx.color("gray", 12),
}


def field(
    label: str,
    *,
    name: str,
    error: rx.Var[str],
    type: str = "text",
    autocomplete: str = "off",
    hint: str = "",
    **input_props,
) -> rx.Component:
    """A labelled input with its hint and its error tied to it for screen readers."""
    field_id = f"field-{name}"
    described = " ".join(x for x in (f"{field_id}-hint" if hint else "", f"{field_id}-error") if x)
    return rx.box(
        rx.el.label(label, html_for=field_id, font_weight="500", display="block", margin_bottom="0.25rem"),
        rx.el.input(
            id=field_id,
            name=name,
            type=type,
            auto_complete=autocomplete,
            aria_describedby=described,
            aria_invalid=rx.cond(error != "", "true", "false"),
            style=INPUT_STYLE,
            **input_props,
        ),
        rx.cond(
            hint != "",
            rx.text(hint, id=f"{field_id}-hint", size="2", color=styles.muted_text, margin_top="0.25rem"),
        ),
        rx.text(
            error,
            id=f"{field_id}-error",
            size="2",
            color=rx.color("red", 11),
            margin_top="0.25rem",
        ),
        width="100%",
    )


def error_of(errors: rx.Var, name: str) -> rx.Var[str]:
    """The message for one field from a state's dict of errors ("" when none)."""
    return errors.get(name, "").to(str)


def _error(name: str, error: rx.Var[str]) -> rx.Component:
    return rx.text(error, id=f"field-{name}-error", size="2", color=rx.color("red", 11))


def _label(label: str, name: str) -> rx.Component:
    return rx.el.label(label, html_for=f"field-{name}", font_weight="500", display="block", margin_bottom="0.25rem")


def select_field(
    label: str,
    *,
    name: str,
    options: dict[str, str] | list[str],
    error: rx.Var[str],
    default: rx.Var | str = "",
    option_attrs: dict[str, dict] | None = None,
) -> rx.Component:
    """A native <select>: the phone's own picker, big and one-handed.
    `option_attrs` adds attributes to options by value (choices.js reads them)."""
    pairs = options.items() if isinstance(options, dict) else [(o, o) for o in options]
    extra = option_attrs or {}
    return rx.box(
        _label(label, name),
        rx.el.select(
            *[rx.el.option(text, value=value, custom_attrs=extra.get(value, {})) for value, text in pairs],
            id=f"field-{name}",
            name=name,
            default_value=default,
            aria_describedby=f"field-{name}-error",
            aria_invalid=rx.cond(error != "", "true", "false"),
            style=INPUT_STYLE,
        ),
        _error(name, error),
        width="100%",
    )


def checkbox_group(
    legend: str, *, prefix: str, options: dict[str, str], checked: rx.Var, error: rx.Var[str]
) -> rx.Component:
    """One checkbox per option, named prefix:key, inside a fieldset."""
    return rx.el.fieldset(
        rx.el.legend(legend, font_weight="500", margin_bottom="0.25rem"),
        rx.flex(
            *[
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name=f"{prefix}:{key}",
                        # The summary's link for the group lands on its first box.
                        **({"id": f"field-{prefix}"} if i == 0 else {}),
                        default_checked=checked.contains(key),
                        # Each box says the group was refused, as a single field does.
                        aria_invalid=rx.cond(error != "", "true", "false"),
                        style={
                            "width": "20px",
                            "height": "20px",
                            "flex_shrink": "0",
                            "accent_color": rx.color(styles.ACCENT, 9),
                        },
                    ),
                    text,
                    display="flex",
                    align_items="center",
                    gap="0.5rem",
                    min_height="44px",
                    padding_right="0.75rem",
                )
                for i, (key, text) in enumerate(options.items())
            ],
            wrap="wrap",
        ),
        _error(prefix, error),
        aria_describedby=f"field-{prefix}-error",
        border="none",
        padding="0",
        margin="0",
        width="100%",
    )


def areas_picker(legend: str, *, checked: rx.Var, custom: rx.Var, errors: rx.Var) -> rx.Component:
    """The body areas from the catalogue as checkboxes, plus the patient's own."""
    from meso_journal.rules import catalog

    return rx.fragment(
        checkbox_group(legend, prefix="area", options=catalog.AREAS, checked=checked, error=error_of(errors, "area")),
        field(
            "Other areas (comma-separated)",
            name="custom_areas",
            error=error_of(errors, "custom_areas"),
            default_value=custom,
        ),
    )


def textarea_field(
    label: str, *, name: str, error: rx.Var[str], default: rx.Var | str = "", hint: str = ""
) -> rx.Component:
    return rx.box(
        _label(label, name),
        rx.el.textarea(
            id=f"field-{name}",
            name=name,
            default_value=default,
            rows=4,
            aria_describedby=f"field-{name}-error",
            aria_invalid=rx.cond(error != "", "true", "false"),
            style={**INPUT_STYLE, "padding": "0.5rem 0.75rem", "min_height": "6rem"},
        ),
        rx.cond(hint != "", rx.text(hint, size="2", color=styles.muted_text)),
        _error(name, error),
        width="100%",
    )


def _summary_item(pair: rx.Var, labels: rx.Var, id_prefix: str) -> rx.Component:
    name, message = pair[0].to(str), pair[1].to(str)
    label = labels.get(name, "").to(str)
    return rx.el.li(
        rx.cond(
            name == "form",
            rx.text(message),
            rx.el.a(
                rx.cond(label != "", label + ": " + message, message),
                href="#" + id_prefix + name,
                custom_attrs={"data-error-field": id_prefix + name},
                color=rx.color("red", 11),
                text_decoration="underline",
                text_underline_offset="3px",
            ),
        ),
        margin_bottom="0.25rem",
    )


def effect_labels(*, with_days: bool) -> dict[str, str]:
    """Summary labels for the side-effect grid's fields."""
    from meso_journal.rules import catalog

    effects = {**catalog.SIDE_EFFECTS, catalog.OTHER_EFFECT: "Other side effect"}
    labels = {f"effect:{k}": v for k, v in effects.items()}
    if with_days:
        labels |= {f"days:{k}": f"{v}, days it lasted" for k, v in effects.items()}
    return {**labels, "other_effect_name": "Other side effect's name"}


def error_summary(
    errors: rx.Var,
    *,
    labels: dict[str, str],
    refusals: rx.Var[int],
    id_prefix: str = "field-",
    title: rx.Var[str] | str = "Nothing was saved",
) -> rx.Component:
    """What went wrong, at the top of the form: one link per problem to its field.

    After a refused save, focus.js focuses the summary and scrolls it
    into view (a patient who tapped Save at the bottom of a long form would
    otherwise see nothing happen). It does so when the summary appears; the
    `refusals` key remounts it after each refusal, so a second refusal with
    the same problems is shown again too.
    """
    return rx.cond(
        errors.length() > 0,
        rx.box(
            rx.heading(title, as_="h2", size="3", id="error-summary-title", color=rx.color("red", 11)),
            rx.el.ul(
                rx.foreach(errors.entries(), lambda pair: _summary_item(pair, rx.Var.create(labels), id_prefix)),
                margin="0.5rem 0 0",
                padding_left="1.25rem",
            ),
            key=refusals,
            tab_index=-1,
            aria_labelledby="error-summary-title",
            custom_attrs={"data-error-summary": "true"},
            width="100%",
            padding="0.75rem 1rem",
            border=f"2px solid {rx.color('red', 9)}",
            border_radius="var(--radius-3)",
            background=rx.color("red", 2),
        ),
    )


def kept_input(draft: str, state, *, outbox: str | rx.Var = "", parent: rx.Var | int = 0) -> dict:
    """The props of a journal form whose input drafts.js keeps: `draft` names
    what the form is for (its kind and the record or course), `state` is the
    form's FormState, and the form also shows draft_note(). The key includes
    `draft`, so when the page's data arrives after the form (a state rebuilt
    after a reconnect) the form is mounted again, and drafts.js fills in each
    field as it appears. data-saved tells drafts.js which form was saved last,
    and data-owner whose the form is: a draft is only ever put back for the
    patient who typed it (another may sign in on the same phone).

    With `outbox` (the entry's kind, "" for none), a save goes first to the
    phone's outbox (assets/outbox.js) and from there to /api/entries, with
    `parent` (the course or session it belongs to, 0 for none); the form's
    handler then only shows the server's answer (state.base.saves_form)."""
    owner = journal_owner
    attrs = {"data-draft": draft, "data-saved": state.saved_form_id, "data-owner": owner}
    if isinstance(outbox, rx.Var) or outbox:
        attrs |= {"data-outbox": outbox, "data-parent": parent}
    return {"key": f"{state.form_key}-{draft}-{owner}", "custom_attrs": attrs}


def draft_note() -> rx.Component:
    """Shown by drafts.js once it has put back what the patient typed in this
    form (after a dropped connection, or on coming back to the form), with a
    way to start from the form's usual values instead (see kept_input)."""
    return rx.el.div(
        rx.el.span("What you typed earlier is back in the form."),
        rx.el.button(
            "Start over",
            type="button",
            custom_attrs={"data-draft-discard": "true"},
            style={"text_decoration": "underline", "font_weight": "500", "flex_shrink": "0", **styles.tap_target},
        ),
        hidden=True,
        role="status",
        custom_attrs={"data-draft-note": "true"},
        # A flex row when shown (the hidden attribute wins until then, see theme.css).
        class_name="meso-draft-note",
        width="100%",
        padding="0.25rem 0.75rem",
        border_radius="var(--radius-3)",
        background=rx.color("gray", 3),
    )


def form_id_field(form_id: rx.Var[str]) -> rx.Component:
    """The hidden field that names this showing of the form (state.base.FormState)."""
    return rx.el.input(type="hidden", name="form_id", value=form_id)


def submit(label: str | rx.Var[str], **props) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", style=styles.tap_target, **props)


def waiting_to_send() -> rx.Component:
    """The entries saved on this phone and not yet stored ("Waiting to send
    (n)", each with its state), listed by outbox.js for the patient the page
    is for. Empty, and so not shown, when nothing waits."""
    return rx.el.section(
        custom_attrs={"data-outbox-list": "true", "data-owner": journal_owner, "aria-live": "polite"},
    )


def refresh_when_sent(load) -> rx.Component:
    """A hidden button outbox.js presses once it has sent entries from the
    phone, so the page shows them without a reload: `load` is the page's own
    on_load, which loads again only what changed."""
    return rx.el.button(
        "Show what was sent",
        type="button",
        on_click=load,
        hidden=True,
        tab_index=-1,
        aria_hidden="true",
        custom_attrs={"data-outbox-refresh": "true"},
    )


def after_save(kind: str) -> rx.Component:
    """Put inside a form saved through the outbox whose patient then leaves
    the page: a hidden button outbox.js presses once the server has stored
    the entry. It goes to where the entry is shown (routes.AFTER_SAVE) in the
    page itself (a client-side redirect), with no event to the server, whose
    answer the phone already has: a save is one request, not two."""
    return rx.el.button(
        "Show it",
        type="button",
        on_click=rx.redirect(routes.AFTER_SAVE[kind]),
        hidden=True,
        tab_index=-1,
        aria_hidden="true",
        custom_attrs={"data-outbox-go": "true"},
    )
