#!/usr/bin/env python3
"""to_tsv.py IN.jsonl OUT.tsv -- flattens the benchmark records for the libical peer (C has no
JSON reader in libical); not timed. Fields: id, zone, start, end (YYYYMMDDTHHMMSS), title,
description, venue, lat, lon, url, categories (comma-separated)."""
import json
import sys


def local(s):
    return s.replace("-", "").replace(":", "") + ("00" if len(s) == 16 else "")


with open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in open(sys.argv[1], encoding="utf-8"):
        r = json.loads(line)
        fields = [r["id"], r["timeZone"], local(r["start"]), local(r["end"]), r["title"]["es"], r["description"]["es"],
                  r["venue"]["name"]["es"], str(r["venue"]["geo"]["lat"]), str(r["venue"]["geo"]["lon"]), r["url"],
                  ",".join(c["label"]["es"] for c in r["categories"])]
        out.write("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n")
