"""Contacts and case notes: visits, calls and meetings, with the family's own words."""
