#!/usr/bin/env python3
"""python_peer.py IN.jsonl OUT_DIR -- what a user would write instead of Agenda: Python icalendar
for the .ics (with VTIMEZONEs), feedgen for RSS and Atom (the first 500 events by start, as
Agenda's feeds), and the geojson package for the map file. One language (es), like the benchmark.
Reads the whole input, as these libraries need."""
import datetime
import json
import os
import sys
import zoneinfo

import geojson
from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event


def main(path, out):
    os.makedirs(out, exist_ok=True)
    records = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    stamp = datetime.datetime(2025, 1, 2, tzinfo=datetime.timezone.utc)
    cal = Calendar()
    cal.add("prodid", "-//peer//python icalendar//ES")
    cal.add("version", "2.0")
    features = []
    timed = []
    for r in records:
        tz = zoneinfo.ZoneInfo(r["timeZone"])
        start = datetime.datetime.fromisoformat(r["start"]).replace(tzinfo=tz)
        end = datetime.datetime.fromisoformat(r["end"]).replace(tzinfo=tz)
        title = r["title"]["es"]
        text = r["description"]["es"]
        venue = r["venue"]["name"]["es"]
        geo = r["venue"]["geo"]
        e = Event()
        e.add("uid", r["id"] + "@bench.example")
        e.add("dtstamp", stamp)
        e.add("dtstart", start)
        e.add("dtend", end)
        e.add("summary", title)
        e.add("description", text)
        e.add("location", venue)
        e.add("geo", (geo["lat"], geo["lon"]))
        e.add("url", r["url"])
        e.add("categories", [c["label"]["es"] for c in r["categories"]])
        e.add("organizer", r["organizer"]["url"], parameters={"CN": r["organizer"]["name"]["es"]})
        cal.add_component(e)
        features.append(geojson.Feature(id=r["id"], geometry=geojson.Point((geo["lon"], geo["lat"])), properties={
            "title": title, "description": text, "start": start.isoformat(), "end": end.isoformat(),
            "timeZone": r["timeZone"], "venue": venue, "url": r["url"],
            "categories": ",".join(c["slug"] for c in r["categories"])}))
        timed.append((start, r, title, text))
    cal.add_missing_timezones()
    with open(os.path.join(out, "all.es.ics"), "wb") as f:
        f.write(cal.to_ical())

    fg = FeedGenerator()
    fg.id("https://events.example.org/")
    fg.title("Agenda")
    fg.link(href="https://events.example.org/", rel="alternate")
    fg.description("Eventos")
    fg.language("es")
    for start, r, title, text in sorted(timed, key=lambda t: (t[0], t[1]["id"]))[:500]:
        fe = fg.add_entry(order="append")
        fe.id(r["url"])
        fe.title(title)
        fe.link(href=r["url"])
        fe.description(text)
        fe.published(start)
        fe.updated(stamp)
    fg.rss_file(os.path.join(out, "all.es.rss"), pretty=True)
    fg.atom_file(os.path.join(out, "all.es.atom"), pretty=True)
    with open(os.path.join(out, "all.es.geojson"), "w", encoding="utf-8") as f:
        geojson.dump(geojson.FeatureCollection(features), f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
