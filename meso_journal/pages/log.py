import reflex as rx

from meso_journal import routes, styles
from meso_journal.components.forms import (
    after_save,
    areas_picker,
    checkbox_group,
    draft_note,
    effect_labels,
    error_of,
    error_summary,
    field,
    form_id_field,
    kept_input,
    select_field,
    submit,
    textarea_field,
)
from meso_journal.components.layout import button_link, empty_state, layout
from meso_journal.components.offline import journal_course, journal_starts, opened_offline
from meso_journal.components.side_effects import rating_grid
from meso_journal.rules import catalog
from meso_journal.state.log import LogState

DEPTHS = {"": "Not sure", **{f"{d:g}": f"{d:g} mm" for d in catalog.DEPTHS_MM}}
PAIN = {"": "Not recorded", **{str(i): str(i) for i in range(11)}}
# Field labels, also used by the error summary to say which field a message is about.
LABELS = {
    "performed_at": "Date and time",
    "area": "Areas treated",
    "custom_areas": "Other areas",
    "substance": "Substances",
    "product_and_dose": "Exact product and dose, if you know",
    "depth_mm": "Needle depth",
    "injections": "About how many injections",
    "method": "Given",
    "numbing": "Numbing cream or anaesthetic",
    "cost": "Cost of this session",
    "currency": "Currency",
    "pain": "Pain during the session (0 none – 10 worst)",
    "nsaids_avoided": "I avoided aspirin and other NSAIDs the week before",
    "downtime": "Time off normal activities",
    "downtime_amount": "How many (hours or days)",
    "notes": "Notes",
    **effect_labels(with_days=True),
}


def _section(title: str, *children) -> rx.Component:
    return rx.vstack(rx.heading(title, as_="h2", size="4"), *children, spacing="3", style=styles.card)


def _session_form() -> rx.Component:
    e = LogState.errors
    return rx.form(
        rx.vstack(
            error_summary(e, labels=LABELS, refusals=LogState.refusals),
            form_id_field(LogState.form_id),
            draft_note(),
            _section(
                "The visit",
                field(
                    LABELS["performed_at"],
                    name="performed_at",
                    type="datetime-local",
                    error=error_of(e, "performed_at"),
                    default_value=LogState.performed_at,
                    custom_attrs={"data-local-now": "true"},
                    required=True,
                ),
                areas_picker(
                    LABELS["area"],
                    checked=journal_starts("areas", LogState.areas, []),
                    custom=journal_starts("custom_areas", LogState.custom_areas, ""),
                    errors=e,
                ),
            ),
            _section(
                "What was injected",
                checkbox_group(
                    LABELS["substance"],
                    prefix="substance",
                    options=catalog.SUBSTANCES,
                    checked=journal_starts("substances", LogState.substances, []),
                    error=error_of(e, "substance"),
                ),
                field(
                    LABELS["product_and_dose"],
                    name="product_and_dose",
                    error=error_of(e, "product_and_dose"),
                    default_value=journal_starts("product_and_dose", LogState.product_and_dose, ""),
                ),
                select_field(
                    LABELS["depth_mm"],
                    name="depth_mm",
                    options=DEPTHS,
                    error=error_of(e, "depth_mm"),
                    default=LogState.depth_mm,
                ),
                field(
                    LABELS["injections"],
                    name="injections",
                    type="number",
                    input_mode="numeric",
                    error=error_of(e, "injections"),
                    default_value=LogState.injections,
                ),
                select_field(
                    LABELS["method"],
                    name="method",
                    options=catalog.METHODS,
                    error=error_of(e, "method"),
                    default=LogState.method,
                ),
                select_field(
                    LABELS["numbing"],
                    name="numbing",
                    options=catalog.NUMBING,
                    error=error_of(e, "numbing"),
                    default=LogState.numbing,
                ),
            ),
            _section(
                "Cost and comfort",
                rx.grid(
                    field(
                        LABELS["cost"],
                        name="cost",
                        input_mode="decimal",
                        error=error_of(e, "cost"),
                        default_value=LogState.cost,
                    ),
                    select_field(
                        LABELS["currency"],
                        name="currency",
                        options=catalog.CURRENCIES,
                        error=error_of(e, "currency"),
                        default=journal_starts("currency", LogState.currency, "USD"),
                    ),
                    columns="2fr 1fr",
                    gap="0.75rem",
                    width="100%",
                ),
                select_field(
                    LABELS["pain"],
                    name="pain",
                    options=PAIN,
                    error=error_of(e, "pain"),
                    default=LogState.pain,
                ),
                select_field(
                    LABELS["nsaids_avoided"],
                    name="nsaids_avoided",
                    options=catalog.NSAID_ANSWERS,
                    error=error_of(e, "nsaids_avoided"),
                    default=LogState.nsaids_avoided,
                ),
            ),
            _section(
                "Afterwards",
                rating_grid(
                    errors=e, ratings=LogState.ratings, days=LogState.days, other_name=LogState.other_effect_name
                ),
                rx.grid(
                    select_field(
                        LABELS["downtime"],
                        name="downtime",
                        options=catalog.DOWNTIME,
                        error=error_of(e, "downtime"),
                        default=LogState.downtime,
                    ),
                    field(
                        LABELS["downtime_amount"],
                        name="downtime_amount",
                        type="number",
                        input_mode="numeric",
                        error=error_of(e, "downtime_amount"),
                        default_value=LogState.downtime_amount,
                    ),
                    columns="1fr 1fr",
                    gap="0.75rem",
                    width="100%",
                ),
                textarea_field(LABELS["notes"], name="notes", error=error_of(e, "notes"), default=LogState.notes),
            ),
            submit(rx.cond(LogState.editing_id > 0, "Save changes", "Save session")),
            after_save("session"),
            spacing="4",
            width="100%",
        ),
        on_submit=LogState.save,
        # A new session goes through the phone's outbox; a change to one
        # already stored is saved through the page.
        **_with_starts(
            kept_input(
                f"session-{journal_course}-{LogState.editing_id}",
                LogState,
                outbox=rx.cond(LogState.editing_id, "", "session"),
                parent=journal_course,
            )
        ),
        width="100%",
    )


def _with_starts(props: dict) -> dict:
    """How a new session's form starts, for offline-timeline.js to keep (only
    from the server's page: components/offline.journal_starts reads it)."""
    starts = rx.Var.create(
        {
            "areas": LogState.areas,
            "custom_areas": LogState.custom_areas,
            "substances": LogState.substances,
            "product_and_dose": LogState.product_and_dose,
            "currency": LogState.currency,
        }
    ).to_string()
    props["custom_attrs"] = {
        **props["custom_attrs"],
        "data-starts": rx.cond((LogState.editing_id > 0) | opened_offline, "", starts),
    }
    return props


def log_page() -> rx.Component:
    return layout(
        rx.cond(
            journal_course > 0,
            rx.vstack(
                rx.hstack(
                    rx.link("Add a measurement", href=routes.MEASUREMENTS),
                    rx.text("·", color=styles.muted_text),
                    rx.link("Check in on a session", href=routes.TIMELINE),
                    spacing="2",
                    wrap="wrap",
                ),
                _session_form(),
                spacing="4",
                width="100%",
            ),
            rx.vstack(
                empty_state(
                    "list-plus",
                    "Start a course first",
                    "Sessions belong to a course: its goal, areas and clinic.",
                ),
                button_link("Start a course", routes.COURSE_EDIT),
                width="100%",
            ),
        ),
        title=rx.cond(LogState.editing_id > 0, "Edit session", "Log a session"),
        works_offline=True,
    )
