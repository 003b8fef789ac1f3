"""Restricted records and break-glass (issue 6, section 2).

- A team manager of a team that has held an episode for a family, or the DPO, restricts it
  with a reason and names who may open it (the access list; usually the lead practitioner).
- ``casework.permissions`` enforces it in one place: ``visible_families`` and
  ``can_view_family`` leave out restricted families unless the user is on the access list or
  holds an unexpired break-glass access, so every list and gatekeeper built on them follows.
  Lists built elsewhere use ``casework.permissions.hide_restricted``.
- People search (``people.selectors``): people of such a family are in no result; an exact
  search (full name and date of birth, or NHS number) shows a stub "Restricted record".
- Break-glass is for those who would see the family were it not restricted (its team's
  practitioners and managers, its lead). Duty workers get the stub without a way in; the
  DPO oversees restrictions and reviews accesses but does not open case records.
- Partners are never on an access list and never break the glass: a restricted family is
  hidden from them entirely.
- Restriction is per family or per person; a person in a restricted family is hidden wherever
  they appear. A restricted person closes every family they belong to and is left out of
  people search (exact search: the stub); break-glass is still into one family at a time
  (docs/decisions/0007-restricted-people.md).
"""
