"""Compile the gettext catalogues (locale/*/LC_MESSAGES/django.po) into the .mo files Django reads.

Run by `make install` so that a fresh machine serves Welsh. It uses polib (pure Python, pinned in
requirements.txt) rather than Django's compilemessages, which needs GNU gettext's msgfmt installed
on the machine. A .mo file is rewritten only when its .po file is newer.
"""

import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent


def main():
    compiled = 0
    for po_path in sorted((BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        # A fuzzy entry is a guess awaiting review: gettext leaves it out, and so does this.
        for entry in catalogue.fuzzy_entries():
            catalogue.remove(entry)
        catalogue.save_as_mofile(str(mo_path))
        compiled += 1
    print(f"compile_messages: {compiled} catalogue(s) compiled", file=sys.stderr)


if __name__ == "__main__":
    main()
