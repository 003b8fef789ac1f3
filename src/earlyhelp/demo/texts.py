"""Invented case-work wording for the demo: notes, the family's own words, needs and plans.

Placeholders: ``{child}`` and ``{parent}`` are first names in the family, ``{school}`` a school
from the demo's partner directory, ``{professional}`` a professional's name. First names only,
so no text names a member of another family.
"""

from __future__ import annotations

EDUCATION = "getting_a_good_education"
EARLY_YEARS = "good_early_years_development"
HEALTH = "improved_mental_and_physical_health"
SUBSTANCE = "promoting_recovery_and_reducing_harm_from_substance_use"
RELATIONSHIPS = "improved_family_relationships"
EXPLOITATION = "children_safe_from_abuse_and_exploitation"
CRIME = "crime_prevention_and_tackling_crime"
DOMESTIC_ABUSE = "safe_from_domestic_abuse"
HOUSING = "secure_housing"
FINANCE = "financial_stability"

# --- Contacts -----------------------------------------------------------------------------

FIRST_VISIT = (
    "First home visit to introduce Early Help and agree how we will work together. "
    "{parent} talked through what has been hard since the referral; the house was calm and "
    "{child} showed me their bedroom and drawings. Explained consent, the family plan and "
    "who the practitioner will share information with. Agreed to start the assessment."
)
NOTES: dict[str, tuple[str, ...]] = {
    "home_visit": (
        "Home visit. {parent} said mornings have been easier this week; {child} was up and "
        "dressed before eight on three days. Looked at the routine chart together and "
        "agreed one change for next week.",
        "Home visit after school. {child} was quiet at first but joined in with the "
        "worry-jar activity. {parent} reported a letter from the landlord; we read it "
        "together and I will follow up with the tenancy officer.",
        "Home visit. Kitchen cupboards low; food bank voucher given with {parent}'s "
        "agreement. Talked through the benefits check booked with the debt adviser.",
        "Home visit to review the safety plan. {parent} knows who to call and has the "
        "numbers saved. {child} said they feel safer at home now.",
    ),
    "office_visit": (
        "{parent} came to the family hub for a one-to-one session. We worked through the "
        "budget planner and a letter to the energy supplier.",
    ),
    "school_visit": (
        "Met {child} at {school} during lunch. Attendance has improved; teachers say "
        "{child} is settling better in class. Spoke with the safeguarding lead about "
        "a place in the breakfast club.",
        "Visit to {school} with {parent} to meet the SENCo. Agreed to request an "
        "assessment of {child}'s learning needs and a quiet space at break times.",
    ),
    "phone_call": (
        "Phone call with {parent} to check how the week went. No new concerns. Reminded "
        "{parent} of the parenting group on Thursday.",
        "Call from {parent}: {child} refused to go to school this morning. Talked through "
        "the plan agreed with the school; {parent} will walk {child} in after lunch.",
        "Phone call with {professional} to share progress and agree who will attend the "
        "next meeting.",
    ),
    "video_call": (
        "Video call with {parent} as {child} was unwell. Went through the actions from the "
        "last meeting; two are done.",
    ),
    "taf_meeting": (
        "Team Around the Family meeting at {school}. Everyone shared what has changed. "
        "{parent} led the discussion of the plan and agreed the actions and dates.",
    ),
    "multi_agency_meeting": (
        "Multi-agency meeting to share concerns about {child}. Agreed that Early Help "
        "remains the right level of support, with a review in four weeks.",
    ),
    "email_or_letter": (
        "Letter sent to {parent} confirming the actions agreed at the meeting and the date "
        "of the next review.",
    ),
    "unsuccessful_visit": (
        "Planned home visit: no answer. Left a card and sent a text message to {parent}; "
        "will try again next week.",
    ),
}

CHILD_WORDS_VERBATIM = (
    "I like it when Mum walks me to school and we race to the lamp post.",
    "I don't like it when they shout. I go upstairs and put my headphones on.",
    "School is better now. Miss lets me sit by the window.",
    "I want my own bed again, not the sofa.",
    "The breakfast club is good because there's toast and my friend goes.",
    "Sometimes I worry about Dad. I don't know where he is sleeping.",
    "I'm good at football. I want to be on the team.",
)
CHILD_WORDS_SUMMARY = (
    "{child} said they feel happier at school since moving class, and would like more time "
    "with their mum at weekends.",
    "{child} drew a picture of their family and explained who they feel safe with: their "
    "mum, their nan and their teacher.",
)
PARENT_VIEWS_VERBATIM = (
    "I just want the mornings to stop being a battle. I'm exhausted by nine o'clock.",
    "I didn't want anyone involved at first, but this is the first time someone has listened.",
    "I'm worried we'll lose the flat. I can't think about anything else.",
    "Things are better. I know what to do now when it starts to go wrong.",
)
PARENT_VIEWS_SUMMARY = (
    "{parent} feels the family is making progress but is anxious about money and would "
    "like help with the bills.",
    "{parent} said the school has been supportive and they want to keep the routine going.",
)

CORRECTION_REASON = (
    "The note named the wrong school: {child} moved schools last term. Corrected after "
    "checking with {parent}."
)
DELETION_REASON = (
    "Recorded on this family's record by mistake; the note belongs to another family and "
    "has been recorded there. Deleted at the practitioner's request."
)
ATTACHMENT_NOTE = (
    "Home visit. {child} proudly showed me the morning routine chart they made with "
    "{parent}; photo attached with the family's agreement. Most rows ticked this week."
)

# --- Assessments --------------------------------------------------------------------------

STRENGTHS = (
    "{parent} is warm and clearly loves the children; the family asked for help themselves "
    "and have kept every appointment. {child} has a good relationship with their teacher "
    "and a grandparent nearby who helps after school."
)
CHILD_VIEWS = (
    '{child} said: "I want things to be calm at home and I want to go to football." '
    "{child} would like to see their dad more often."
)
PARENT_VIEWS = (
    "{parent} wants help with routines and with money, and would like the school to "
    "understand what is happening at home."
)
ANALYSIS = (
    "The family's difficulties are connected: money worries and poor sleep make the "
    "mornings hard, which affects {child}'s attendance and mood. With practical help and a "
    "consistent routine, {parent} has the capacity to make and keep changes."
)
CONCLUSION = (
    "Targeted Early Help with a Team Around the Family, including the school; a family plan "
    "focused on the needs below, reviewed every six weeks."
)
RETURN_COMMENT = (
    "Please add the school's view of {child}'s attendance and say which needs apply to "
    "{parent} as well as to {child} before I authorise this."
)

EVIDENCE: dict[str, str] = {
    EDUCATION: "{person}'s attendance is below 90% this year, with lateness most mornings; "
    "the school reports missed learning in maths.",
    EARLY_YEARS: "{person} is not yet taking up the funded nursery place and the 2-year "
    "check showed speech needs support.",
    HEALTH: "{person} describes low mood and poor sleep since the spring and is on a waiting "
    "list for talking therapy.",
    SUBSTANCE: "{person} is drinking most evenings to cope; says it affects the mornings.",
    RELATIONSHIPS: "Frequent arguments at home; {person} describes shouting most evenings "
    "and walking out to calm down.",
    EXPLOITATION: "{person} has been missing from home twice for several hours and has new "
    "items the family cannot explain.",
    CRIME: "{person} received a community resolution for criminal damage in the autumn.",
    DOMESTIC_ABUSE: "{person} has disclosed past controlling behaviour by an ex-partner, "
    "who still contacts the family.",
    HOUSING: "The family has rent arrears of eight weeks and a notice from the landlord; "
    "{person} fears eviction.",
    FINANCE: "{person} has debts with an energy supplier and a catalogue, and has missed "
    "meals to feed the children.",
}

# --- Plans ----------------------------------------------------------------------------------

OUTCOMES: dict[str, tuple[str, str]] = {
    EDUCATION: (
        "{person} goes to school every day and on time.",
        "Attendance above 95% for a half term, from the school's register.",
    ),
    EARLY_YEARS: (
        "{person} takes up the nursery place and their speech keeps developing.",
        "Attending nursery 3 days a week; health visitor review shows progress.",
    ),
    HEALTH: (
        "{person} feels well enough to manage the day and gets the support they need.",
        "Seeing the GP and starting talking therapy; scores on the wellbeing scale improve.",
    ),
    SUBSTANCE: (
        "{person} cuts down their drinking and the mornings are not affected.",
        "Engaging with the recovery service; family say evenings are calmer.",
    ),
    RELATIONSHIPS: (
        "Home is calmer and the family can sort out disagreements without shouting.",
        "Family report fewer arguments; the children say home feels calmer.",
    ),
    EXPLOITATION: (
        "{person} is safe and does not go missing.",
        "No missing episodes for three months; trusted adult in place.",
    ),
    CRIME: (
        "{person} stays out of trouble and takes part in a positive activity.",
        "No further police contact; attends the youth club weekly.",
    ),
    DOMESTIC_ABUSE: (
        "{person} and the children are safe and feel safe at home.",
        "Safety plan in place; no further incidents reported.",
    ),
    HOUSING: (
        "The family keeps their home and the rent is paid.",
        "Arrears repayment plan agreed with the landlord and kept to.",
    ),
    FINANCE: (
        "The family has enough money for food and bills each month.",
        "Benefits check done, debts in a repayment plan, no food bank use for two months.",
    ),
}

# What each need's actions are and who does them: "parent" or a directory job title word.
ACTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    EDUCATION: (
        ("Offer a breakfast club place and a daily check-in with a trusted adult.", "safeguarding"),
        ("Use the routine chart every school morning.", "parent"),
    ),
    EARLY_YEARS: (
        ("Book the nursery place and visit with the family.", "Nursery manager"),
        ("Arrange a speech and language review.", "Health visitor"),
    ),
    HEALTH: (
        ("Make a GP appointment about sleep and mood.", "parent"),
        ("Review medication and refer for talking therapy.", "GP"),
    ),
    SUBSTANCE: (("Attend the first appointment with the recovery service.", "parent"),),
    RELATIONSHIPS: (
        ("Join the parenting course at the family hub.", "parent"),
        ("Four mentoring sessions on calm conversations at home.", "Family mentor"),
    ),
    EXPLOITATION: (
        ("Return-home interview after any missing episode.", "Early intervention officer"),
        ("Agree a trusted adult at school.", "safeguarding"),
    ),
    CRIME: (("Introduce the young person to the youth club.", "Early intervention officer"),),
    DOMESTIC_ABUSE: (
        ("Safety planning sessions and support with a non-molestation order.", "domestic"),
    ),
    HOUSING: (
        ("Agree an arrears repayment plan with the landlord.", "Tenancy"),
        ("Apply for a discretionary housing payment.", "parent"),
    ),
    FINANCE: (
        ("Full benefits check and help with the energy debt.", "Debt"),
        ("Keep the weekly budget planner.", "parent"),
    ),
}
NEW_ACTION = ("Check in by phone each Friday until the next review.", "Family mentor")

REVIEW_SUMMARIES = (
    "Good progress since the plan started: mornings are calmer and attendance is up. "
    "Money remains a worry; the benefits check found an underpayment.",
    "Mixed progress. School attendance has held up, but {parent} has found the last few "
    "weeks hard. The family want to keep the plan going with more support at home.",
    "Most actions done. {parent} said the family feel more in control; the TAF agreed to "
    "keep the plan for one more cycle before thinking about closure.",
)
CHANGE_SUMMARIES = (
    "Actions updated after the review; a weekly check-in added while money is tight.",
    "Outcome for school attendance reworded with {child}; finished actions marked done.",
    "Plan refreshed for the next cycle; new action agreed with the family mentor.",
)
PROGRESS_NOTES = {
    "on_track": "Going well; keep doing what we agreed.",
    "some_progress": "Better than at the start, but not every week.",
    "no_progress": "No change yet; the family want to try a different approach.",
    "achieved": "Achieved and holding; the family are proud of this.",
}
REWORDED_OUTCOME = "{person} gets to school on time every day, with breakfast first."
OBJECTION_NOTE = (
    "{parent} does not want the plan sent to the school while they talk to the head teacher "
    "themselves about what is happening at home."
)
WITHDRAWN_OBJECTION_NOTE = "{parent} wanted to read the plan before it was shared."

# --- Outcomes -------------------------------------------------------------------------------

RATING_EVIDENCE = {
    "achieved": "Confirmed at the closing TAF meeting, with the evidence in the measure.",
    "partly_achieved": "Better than at the start, but not yet every week.",
    "not_achieved": "No lasting change before the case was stepped up.",
}
SUSTAINED_EVIDENCE = (
    "Checked with the school and the family six months on: attendance has stayed above 95% "
    "and there has been no new referral."
)
NOT_SUSTAINED_EVIDENCE = "The family were referred again after closure; the change did not hold."
