"""A journal page opened with no signal: in the clinic's basement the
installed app starts from the phone (the service worker keeps the pages
that work offline), but no server answers to say who is signed in, which
course the header shows, or anything of the journal.

The phone keeps a small record of the last signed-in patient who used the
app here: their email and the course their pages showed (taken by
offline-timeline.js from the layout's data attributes; deleted at sign-out,
as the copy of the timeline is). When the page cannot reach the server and
that record exists, the page "opens offline": the forms that go through the
outbox (a new session, photos) show, under that patient and course, and
what is saved there waits in the outbox until the server stores it under
the same patient's cookie (outbox.js, store/entries.py: the server decides,
never this record). Nothing of the journal itself is shown from it.

Once the server answers, the page is the server's again (the same subtree
stays mounted, so typed input is not lost on the way).
"""

from __future__ import annotations

import reflex as rx
from reflex_base.utils.imports import ImportVar
from reflex_base.vars.base import Var, VarData
from reflex_components_core.core.banner import connect_error_var_data

from meso_journal.state.base import AppState

# Shown once the server has confirmed the session and the page's data is in.
ready: rx.Var[bool] = AppState.signed_in & rx.State.is_hydrated

# The record, from offline-timeline.js (window.mesoPhone, a deferred script
# that may run after React starts), and whether this page is offline: it
# could not load (no server answered) for a patient this phone knows, opened
# with no signal or reached through the tab bar after the signal went.
# Latched until the page is ready, so it does not flicker back to a spinner
# between the socket connecting and the server's data arriving. Every
# component using these runs its own copy of the hook: both start from what
# window.mesoPhone already knows, so a form mounted offline gets its starting
# values on its first render (an uncontrolled field takes no later default).
# (The build renders each page once in Node, where there is no window.)
_READY = str(ready)  # its JavaScript (an f-string would mark the Var up instead)
_HOOK = f"""const mesoKnown = typeof window !== "undefined" ? window.mesoPhone : undefined;
const [mesoPhone, setMesoPhone] = useState(() => (mesoKnown && mesoKnown.known) || null);
const [mesoOffline, setMesoOffline] = useState(() => !!(mesoKnown && mesoKnown.offline));
useEffect(() => {{
  let live = true;
  const ask = (n) => {{
    if (window.mesoPhone) window.mesoPhone.who().then((who) => {{ if (live) setMesoPhone(who || null); }}, () => {{}});
    else if (n < 50) setTimeout(() => ask(n + 1), 100);
  }};
  ask(0);
  return () => {{ live = false; }};
}}, []);
useEffect(() => {{
  const offline = {_READY} ? false : (connectErrors.length > 0 && !!mesoPhone && !!mesoPhone.owner) || mesoOffline;
  if (window.mesoPhone) window.mesoPhone.offline = offline;
  if (offline !== mesoOffline) setMesoOffline(offline);
}}, [connectErrors, mesoPhone, {_READY}]);"""

_PHONE = VarData(
    hooks={_HOOK: VarData.merge(connect_error_var_data, ready._get_all_var_data())},
    imports={"react": [ImportVar(tag="useState"), ImportVar(tag="useEffect")]},
)

# The page is offline, for a patient this phone knows.
opened_offline: rx.Var[bool] = (
    Var(_js_expr="(mesoOffline && !!mesoPhone)", _var_type=bool, _var_data=_PHONE).to(bool) & ~ready
)

# Who the page is for and its course: the phone's record while the page is
# offline (until the server's data is all in, so the form is not swapped for
# "Start a course" in between), then the server's.
journal_owner: rx.Var[str] = rx.cond(
    opened_offline, Var(_js_expr="mesoPhone.owner", _var_data=_PHONE).to(str), AppState.email
)
journal_course: rx.Var[int] = rx.cond(
    opened_offline, Var(_js_expr="(Number(mesoPhone.course) || 0)", _var_data=_PHONE).to(int), AppState.course_id
)
journal_course_label: rx.Var[str] = rx.cond(
    opened_offline, Var(_js_expr="(mesoPhone.courseLabel || '')", _var_data=_PHONE).to(str), AppState.course_label
)
# The course's body areas, as its photos form last listed them on this phone
# (a photo's area must be one of them: rules/validation.photo_input).
journal_photo_areas: rx.Var[list[str]] = Var(
    _js_expr="((mesoPhone && mesoPhone.areas) || [])", _var_type=list[str], _var_data=_PHONE
)


# How a new session's form starts for this course (the areas and substances
# of the last visit, its currency...), as the log page last showed it here:
# a session logged offline starts the same way (pages/log.py).
def journal_starts(name: str, online: rx.Var, empty) -> rx.Var:
    """The form's starting value `name` offline (from the phone's record), else `online`."""
    kept = Var(
        _js_expr=f"((mesoPhone && mesoPhone.starts && mesoPhone.starts[{name!r}]) || {empty!r})",
        _var_type=type(empty),
        _var_data=_PHONE,
    )
    return rx.cond(opened_offline, kept, online)
