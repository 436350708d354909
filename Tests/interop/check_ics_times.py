#!/usr/bin/env python3
"""check_ics_times.py FILE.ics... -- an independent oracle for the times Agenda writes.

For every DTSTART/DTEND/RDATE/EXDATE with a TZID, the UTC instant computed from the file's own
VTIMEZONE (parsed by dateutil's tzical, a separate RFC 5545 implementation) must equal the instant
Python's zoneinfo computes from the system tz database for the same local time and zone id.
This catches a VTIMEZONE that does not cover an event, wrong offsets, and stale tz data.
Exit 0 when every time agrees, 1 otherwise, 2 on usage errors.
"""
import io
import re
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from dateutil import tz


def unfold(data):
    return re.sub(r"\r\n[ \t]", "", data.decode("utf-8")).split("\r\n")


def check(path):
    lines = unfold(open(path, "rb").read())
    vtz, inside, blocks = [], False, []
    for line in lines:
        if line == "BEGIN:VTIMEZONE":
            inside, vtz = True, []
        if inside:
            vtz.append(line)
        if line == "END:VTIMEZONE":
            inside = False
            blocks.append("\r\n".join(vtz) + "\r\n")
    zones = {}
    if blocks:
        parsed = tz.tzical(io.StringIO("".join(blocks)))
        zones = {k: parsed.get(k) for k in parsed.keys()}
    problems, checked = [], 0
    for no, line in enumerate(lines, 1):
        m = re.match(r"^(DTSTART|DTEND|RDATE|EXDATE);TZID=(\"[^\"]*\"|[^:;]*)[^:]*:(.*)$", line)
        if not m:
            continue
        name, tzid, values = m.group(1), m.group(2).strip('"'), m.group(3)
        if tzid not in zones:
            problems.append(f"{path}: line {no}: {name}: TZID {tzid} has no VTIMEZONE")
            continue
        try:
            system = ZoneInfo(tzid)
        except Exception:
            system = None  # fixed-offset zones (UTC-0500) are not tz database ids
        for value in values.split(","):
            local = datetime.strptime(value, "%Y%m%dT%H%M%S")
            from_file = local.replace(tzinfo=zones[tzid]).astimezone(timezone.utc)
            checked += 1
            if system is not None:
                from_tzdb = local.replace(tzinfo=system).astimezone(timezone.utc)
                if from_file != from_tzdb:
                    problems.append(f"{path}: line {no}: {name} {value} {tzid}: VTIMEZONE gives {from_file:%Y-%m-%dT%H:%M}Z, "
                                    f"tz database gives {from_tzdb:%Y-%m-%dT%H:%M}Z")
    return problems, checked


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    problems, total = [], 0
    for path in argv:
        p, n = check(path)
        problems += p
        total += n
    for p in problems:
        print(p)
    print(f"check_ics_times: {len(argv)} files, {total} local times checked, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
