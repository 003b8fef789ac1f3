"""The ``earlyhelp`` command: the project's manage.py, installed into the virtualenv."""

from __future__ import annotations

import os
import sys


def main() -> None:
    # Production is the safe default: without its settings it stops with a clear message.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
