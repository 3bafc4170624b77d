"""What is known about mesotherapy, in plain words: the source of the
"About the evidence" page, the timeline's note and the doctor's report."""

from __future__ import annotations

from dataclasses import dataclass

UNPROVEN = "Results of mesotherapy are unproven: studies so far are few and small."
PHOTO_NOTE = "Photos show how things look, not proof that a treatment worked: angle and light change a lot."


@dataclass(frozen=True)
class Section:
    title: str
    points: list[str]


EVIDENCE = [
    Section(
        "What mesotherapy is",
        [
            "Many tiny injections with very fine needles into the middle layer of the skin.",
            "It was developed in France in 1952, first to relieve pain.",
            "There is no standard formula: practitioners inject medicines, hormones, enzymes, "
            "plant extracts, vitamins or minerals. Injection lipolysis uses phosphatidylcholine and deoxycholate.",
        ],
    ),
    Section(
        "What the studies found",
        [
            "There are few studies, and they are small.",
            "A 2012 study of 6 people over 6 months found no real improvement in wrinkles.",
            "A 2008 study of 20 women found no reduction in thigh size.",
            "For hair loss, only finasteride and minoxidil have evidence that they work.",
        ],
    ),
    Section(
        "What professional bodies say",
        [
            "The American Society of Plastic Surgeons does not recommend mesotherapy or injection lipolysis "
            "for fat removal.",
            "Mesotherapy is not approved by the US Food and Drug Administration (FDA); "
            "its ingredients are used off-label.",
        ],
    ),
    Section(
        "What to expect",
        [
            "Courses are usually 3 to 15 sessions, at first every 7 to 10 days, then every two weeks, "
            "then monthly. Fat treatments may need 10 or more.",
            "Side effects people report include nausea, pain, sensitivity, swelling, itching, redness, "
            "bruising, bumps at the injection site, dark patches of skin, rash, infection and scars.",
            "Most people need no time off; some take a day off for swelling and pain.",
            "Sessions cost about $250 to $600 each, and insurance usually does not pay.",
        ],
    ),
    Section(
        "Looking after yourself",
        [
            "Choose a licensed, experienced doctor.",
            "Avoid aspirin and other NSAIDs for a week before each session: they raise the risk of "
            "bleeding and bruising.",
            "Tell your practitioner about an infection, scars, anything severe, or anything that lasts "
            "more than a week.",
        ],
    ),
]
