"""Disclosure packages (issue 5, section 3): selected items of a family's record for one
recipient, redacted, approved by a second person, released as an AES-256 zip."""
