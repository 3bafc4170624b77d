"""The Share tab: a link for the doctor, the reports to download, and all of
the patient's data to take with them."""

import reflex as rx

from meso_journal import routes
from meso_journal.components.forms import error_of, error_summary, field, native_form, submit
from meso_journal.components.layout import download_link, layout, section
from meso_journal.pages.share_parts import download_form, hint, link_form, link_row, new_link
from meso_journal.state.share import ShareState


def share_page() -> rx.Component:
    return layout(
        rx.cond(ShareState.notice != "", rx.callout(ShareState.notice, icon="check", role="status", width="100%")),
        rx.cond(ShareState.new_url != "", new_link()),
        section(
            "A link for your doctor",
            hint("Your doctor can read it without an account, and cannot change anything. You can revoke it any time."),
            link_form(),
        ),
        rx.cond(
            ShareState.links.length() > 0,
            section("Your links", rx.foreach(ShareState.links, link_row)),
        ),
        section(
            "Reports",
            hint("A PDF to print or attach to a message; on a phone you can send it straight from the share sheet."),
            download_form(routes.API_REPORT_PDF, "PDF report", share=True),
            rx.divider(),
            hint("For clinics whose systems import FHIR R4 (JSON)."),
            download_form(routes.API_FHIR, "FHIR file"),
            rx.divider(),
            hint("Spreadsheets (CSV), every course:"),
            rx.flex(
                *[download_link(name, href=routes.csv_url(table)) for table, name in routes.CSV_TABLES.items()],
                wrap="wrap",
                gap="1rem",
            ),
        ),
        section(
            "Name on what you share",
            hint("Shown at the top of the doctor's view and the PDF. Leave it empty to show no name."),
            rx.form(
                rx.vstack(
                    error_summary(
                        ShareState.name_errors, labels={"display_name": "Your name"}, refusals=ShareState.refusals
                    ),
                    field(
                        "Your name",
                        name="display_name",
                        error=error_of(ShareState.name_errors, "display_name"),
                        default_value=ShareState.display_name,
                        autocomplete="name",
                        maxlength=100,
                    ),
                    submit("Save name", variant="outline"),
                    spacing="2",
                    width="100%",
                ),
                on_submit=ShareState.save_name,
                key=ShareState.display_name,
                width="100%",
            ),
        ),
        section(
            "All your data",
            hint("Every record as JSON, with your photos, in one zip file. You can import it into a new account."),
            download_link("Download everything (zip)", href=routes.API_EVERYTHING),
            native_form(
                rx.vstack(
                    error_summary(
                        ShareState.import_errors,
                        labels={"archive": "Import a zip from Meso Journal"},
                        refusals=ShareState.refusals,
                        title="Nothing was imported",
                    ),
                    rx.el.label("Import a zip from Meso Journal", html_for="field-archive", font_weight="500"),
                    rx.el.input(
                        id="field-archive",
                        type="file",
                        name="archive",
                        accept=".zip,application/zip",
                        aria_describedby="field-archive-error",
                        required=True,
                        style={"font_size": "16px", "min_height": "44px", "max_width": "100%"},
                    ),
                    hint("Only into an account that has no courses yet: nothing is merged or overwritten."),
                    rx.text(
                        error_of(ShareState.import_errors, "archive"),
                        id="field-archive-error",
                        size="2",
                        color=rx.color("red", 11),
                        role="alert",
                    ),
                    submit("Import", variant="outline"),
                    spacing="2",
                    width="100%",
                ),
                action=routes.API_IMPORT,
                method="post",
                enc_type="multipart/form-data",
                width="100%",
            ),
        ),
        title="Share with your doctor",
    )
