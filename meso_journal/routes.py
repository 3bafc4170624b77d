"""Route constants: pages and our own HTTP endpoints."""

TIMELINE = "/"
LOG = "/log"
PHOTOS = "/photos"
SHARE = "/share"
MORE = "/more"
SIGN_IN = "/sign-in"
SIGN_UP = "/sign-up"
# A way back into a journal (web/auth_pages.py); the mailed links' pages.
FORGOT_PASSWORD = "/forgot-password"
RESET_PASSWORD = "/reset-password"
RECOVER = "/recover"
CONFIRM_EMAIL = "/confirm-email"

# Starlette routes (web/api.py). Under /api/ so the service worker can tell them apart.
API = "/api"
API_SIGN_IN = "/api/auth/sign-in"
API_SIGN_UP = "/api/auth/sign-up"
API_SIGN_OUT = "/api/auth/sign-out"
API_PASSWORD = "/api/account/password"
API_DELETE_ACCOUNT = "/api/account/delete"
API_FORGOT_PASSWORD = "/api/auth/forgot-password"
API_RESET_PASSWORD = "/api/auth/reset-password"
API_RECOVER = "/api/auth/recover"
API_EMAIL = "/api/account/email"
API_CONFIRM_AGAIN = "/api/account/confirm-again"
API_RECOVERY_CODES = "/api/account/recovery-codes"
API_PASSKEYS = "/api/passkeys"
API_PASSKEY_ADD_OPTIONS = "/api/passkeys/add-options"
API_PASSKEY_ADD = "/api/passkeys/add"
API_PASSKEY_SIGN_IN_OPTIONS = "/api/passkeys/sign-in-options"
API_PASSKEY_SIGN_IN = "/api/passkeys/sign-in"


def remove_passkey(passkey_id: int) -> str:
    return f"{API_PASSKEYS}/{passkey_id}/remove"


API_CALENDAR = "/api/calendar.ics"
API_PHOTOS = "/api/photos"
API_EXPORT = "/api/export"
API_REPORT_PDF = "/api/export/report.pdf"
API_FHIR = "/api/export/fhir.json"
API_EVERYTHING = "/api/export/everything.zip"
API_IMPORT = "/api/import"
API_ENTRIES = "/api/entries"
CSV_TABLES = {
    "sessions": "Sessions",
    "side-effects": "Side effects",
    "check-ins": "Check-ins",
    "measurements": "Measurements",
}


def csv_url(table: str) -> str:
    return f"{API_EXPORT}/{table}.csv"


def photo_url(photo_id: int, size: str, storage_key: str) -> str:
    """The key makes the address name these bytes, not just this id: SQLite
    gives a deleted photo's id to the next one, and a browser would otherwise
    show its cached copy of the deleted photo (web/api.photo_file)."""
    return f"{API_PHOTOS}/{photo_id}/{size}?v={storage_key}"


def with_error(path: str, *codes: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}error={','.join(codes)}"


def menu_form(form: str) -> str:
    """The Menu, naming which of its forms an answer is about (state/account_forms)."""
    return f"{MORE}?form={form}"


COURSES = "/courses"
COURSE_EDIT = "/courses/edit"
CHECKIN = "/checkin"
MEASUREMENTS = "/measurements"
EVIDENCE = "/evidence"

# The app's pages for signed-in patients (each also checks on load). A
# signed-out visitor asking for one is sent to sign in by the server, before
# the app downloads (page_gate.py).
SIGNED_IN_PAGES = (TIMELINE, LOG, CHECKIN, MEASUREMENTS, COURSES, COURSE_EDIT, PHOTOS, SHARE, MORE)


def edit_course(course_id: int | None = None) -> str:
    return COURSE_EDIT if course_id is None else f"{COURSE_EDIT}?id={course_id}"


def edit_visit(visit_id: int) -> str:
    return f"{LOG}?edit={visit_id}"


def checkin(visit_id: int) -> str:
    return f"{CHECKIN}?session={visit_id}"


# Where the patient is shown an entry saved through the phone's outbox (the
# server's answer says it, and the page goes there itself: forms.after_save).
AFTER_SAVE = {
    "session": f"{TIMELINE}?done=session",
    "checkin": f"{TIMELINE}?done=checkin",
    "measurement": MEASUREMENTS,
}
