"""Partner access: TAF members outside the council reading and updating their families' plans.

The rules are in :mod:`earlyhelp.sharing.partner.access`.
"""
