"""One clerk in the race test: updates the same member records as another process, counts conflicts.

Usage: race_worker.py URL TAG MODE IDS_JSON. Prints READY, waits for GO on stdin, then a JSON result.
  stale: read every version first (a clerk opening forms), then save each with that version.
  increment: read-modify-write a counter in `notes` for each record, retrying after each conflict.
"""

from __future__ import annotations

import json
import sys

from chamberdesk.core import members
from chamberdesk.core.db import open_database
from chamberdesk.core.errors import Conflict
from chamberdesk.core.models import Member


def main() -> int:
    url, tag, mode, ids = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    db = open_database(url, user=tag)
    ok: list[int] = []
    conflicts: list[int] = []
    messages: set[str] = set()
    if mode == "stale":
        with db.session() as s:
            versions = {i: s.get(Member, i).version for i in ids}
    print("READY", flush=True)  # noqa: T201
    sys.stdin.readline()
    for i in ids:
        while True:
            try:
                with db.transaction() as s:
                    if mode == "stale":
                        members.update_member(s, i, {"notes": tag}, expected_version=versions[i])
                    else:
                        m = s.get(Member, i)
                        n = int(m.notes or 0)
                        members.update_member(s, i, {"notes": str(n + 1)}, expected_version=m.version)
                ok.append(i)
                break
            except Conflict as exc:
                conflicts.append(i)
                messages.add(str(exc))
                if mode == "stale":
                    break
    db.close()
    print(json.dumps({"ok": ok, "conflicts": conflicts, "messages": sorted(messages)}), flush=True)  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
