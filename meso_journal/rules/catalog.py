"""The vocabulary of the journal, from the facts in PRODUCT.md: goals, body
areas, what can be injected, the twelve reported side effects. Keys are
stored in the database; labels are what the patient reads."""

from __future__ import annotations

GOALS = {
    "fat_removal": "Fat removal",
    "cellulite": "Cellulite",
    "wrinkles": "Wrinkles and lines",
    "loose_skin": "Loose skin",
    "recontouring": "Body recontouring",
    "pigmentation": "Lightening pigmented skin",
    "hair_loss": "Hair loss (alopecia)",
    "pain_relief": "Pain relief",
    "other": "Other",
}

AREAS = {
    "stomach": "Stomach",
    "thighs": "Thighs",
    "buttocks": "Buttocks",
    "hips": "Hips",
    "legs": "Legs",
    "arms": "Arms",
    "face": "Face",
    "neck": "Neck",
    "scalp": "Scalp",
    "back": "Back",
}

SUBSTANCES = {
    "vitamins_minerals": "Vitamins and minerals",
    "plant_extracts": "Herbal or plant extracts",
    "enzymes": "Enzymes (collagenase, hyaluronidase)",
    "hormones": "Hormones (calcitonin, thyroxin)",
    "vasodilators": "Vasodilators",
    "antibiotics": "Antibiotics",
    "phosphatidylcholine_deoxycholate": "Phosphatidylcholine and deoxycholate (injection lipolysis)",
    "hyaluronic_acid": "Hyaluronic acid",
    "finasteride": "Finasteride",
    "minoxidil": "Minoxidil",
    "unknown": "Not sure",
}

# The twelve side effects people report after mesotherapy.
SIDE_EFFECTS = {
    "nausea": "Nausea",
    "pain": "Pain",
    "sensitivity": "Sensitivity",
    "swelling": "Swelling",
    "itching": "Itching",
    "redness": "Redness",
    "bruising": "Bruising",
    "bumps": "Bumps at the injection site",
    "dark_patches": "Dark patches of skin",
    "rash": "Rash",
    "infection": "Infection",
    "scars": "Scars",
}
OTHER_EFFECT = "other"

SEVERITIES = ["none", "mild", "moderate", "severe"]


def severity_level(severity: int) -> int:
    """A stored severity clamped to the scale: a row written past the forms never breaks a page."""
    return min(max(severity, 0), len(SEVERITIES) - 1)


def severity_word(severity: int) -> str:
    return SEVERITIES[severity_level(severity)]


METHODS = {"hand": "By hand", "gun": "Injection gun", "unknown": "Not sure"}
NSAID_ANSWERS = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
NUMBING = {"yes": "Yes", "no": "No", "unknown": "Not sure"}
CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "CHF"]
DOWNTIME = {"none": "None", "hours": "Some hours", "days": "Days off"}
COURSE_STATUSES = {"active": "Active", "paused": "Paused", "finished": "Finished", "stopped": "Stopped"}
DEPTHS_MM = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]

LENGTH_UNITS = {"cm": 1.0, "in": 2.54}  # to centimetres
WEIGHT_UNITS = {"kg": 1.0, "lb": 0.45359237}  # to kilograms


def label(table: dict[str, str], key: str) -> str:
    """A stored key's label; a custom area or an old key shows as it is."""
    return table.get(key, key.replace("_", " ").capitalize() if key.islower() else key)


def course_label(goal: str, areas: list[str]) -> str:
    """E.g. "Cellulite · Thighs, Hips": how a course is named everywhere."""
    shown = ", ".join(label(AREAS, a) for a in areas[:3])
    if len(areas) > 3:
        shown += f" +{len(areas) - 3}"  # said, not silently dropped
    return f"{label(GOALS, goal)} · {shown}" if shown else label(GOALS, goal)
