#!/usr/bin/env python3
"""make_stress.py OUT.json -- writes a deterministic stress batch for the exporters: every zone the
Examples use plus the tricky ones (30-minute DST, +12:45, 24:00 rules, negative DST, gaps and
overlaps, aliases, Windows names, fixed offsets, UTC), every record feature, and hostile text
(escaping, CR/LF injection, control characters, emoji ZWJ sequences and combining marks at every
offset around the 75-octet fold, NFD, RTL and bidi controls, very long words)."""
import json
import sys

ZONES = [
    ("America/Bogota", "CO", 3.43, -76.54), ("America/Mexico_City", "MX", 19.43, -99.13),
    ("America/Ciudad_Juarez", "MX", 31.74, -106.43), ("America/Asuncion", "PY", -25.28, -57.64),
    ("America/Santiago", "CL", -33.44, -70.65), ("America/Argentina/Buenos_Aires", "AR", -34.63, -58.36),
    ("America/Lima", "PE", -12.05, -77.03), ("Europe/Madrid", "ES", 40.42, -3.70),
    ("Atlantic/Canary", "ES", 28.10, -15.42), ("America/New_York", "US", 40.71, -74.0),
    ("Africa/Nairobi", "KE", -1.30, 36.79), ("Africa/Casablanca", "MA", 34.0, -6.85),
    ("Asia/Manila", "PH", 14.55, 120.98), ("Asia/Calcutta", "IN", 28.59, 77.22),
    ("America/Guayaquil", "EC", -0.21, -78.5), ("America/Costa_Rica", "CR", 9.93, -84.07),
    ("America/Montevideo", "UY", -34.9, -56.2), ("Australia/Lord_Howe", "AU", -31.55, 159.08),
    ("Pacific/Chatham", "NZ", -43.95, -176.55), ("America/Nuuk", "GL", 64.18, -51.72),
    ("Europe/Dublin", "IE", 53.35, -6.26), ("Asia/Jerusalem", "IL", 31.78, 35.22),
    ("America/Havana", "CU", 23.13, -82.38), ("UTC", None, 0.0, 0.0),
    ("SA Pacific Standard Time", "CO", 4.6, -74.07), ("UTC-5", "CO", 6.25, -75.56),
    ("UTC+03:00", None, 10.0, 10.0), ("Etc/GMT+5", None, 5.0, -80.0),
]
# Local times in gaps and overlaps (reported as warnings, still exported).
EDGES = [
    ("Europe/Madrid", "2025-03-30T02:30", "2025-03-30T04:00"), ("Europe/Madrid", "2025-10-26T02:30", "2025-10-26T03:30"),
    ("America/Santiago", "2025-09-07T00:15", "2025-09-07T02:00"), ("America/Santiago", "2025-04-05T23:30", "2025-04-06T01:00"),
    ("Australia/Lord_Howe", "2025-10-05T02:15", "2025-10-05T03:00"), ("Pacific/Chatham", "2025-09-28T03:00", "2025-09-28T05:00"),
    ("America/Asuncion", "2024-10-06T00:30", "2024-10-06T02:00"), ("America/Havana", "2025-03-09T00:30", "2025-03-09T02:00"),
]
ZWJ = "👩🏽‍💻"          # woman technologist, medium skin tone: 4 scalars, 15 octets
FAMILY = "👨‍👩‍👧‍👦"    # 7 scalars, 25 octets
NFD = "Participacio\u0301n ciudadana en Bogota\u0301, Espan\u0303a"


def text_variants():
    out = []
    for pad in range(50, 80):  # put the hard characters on every side of the fold
        out.append(("x" * pad) + ZWJ + FAMILY + "é" + "a\u0301" + "ñ" + "日本" + "𝄞" + " fin")
    return out


def record(i, zone, cc, lat, lon, start, end, title, **extra):
    r = {
        "schemaVersion": 1, "id": f"stress-{i:03d}", "defaultLanguage": "es",
        "title": {"es": title, "en": "EN " + title},
        "timeZone": zone, "start": start, "end": end,
        "venue": {"name": {"es": f"Sede {i}; “comillas”, comas, \\barra"}, "geo": {"lat": lat, "lon": lon}},
        "created": "2024-01-01T00:00:00Z", "updated": "2024-02-01T00:00:00Z",
    }
    if cc:
        r["venue"]["address"] = {"countryCode": cc, "locality": "Ciudad, con coma; y punto y coma"}
    r.update(extra)
    return r


def main(out):
    records, i = [], 0
    for zone, cc, lat, lon in ZONES:
        i += 1
        records.append(record(i, zone, cc, lat, lon, "2025-06-15T10:00", "2025-06-15T12:30", f"Evento en {zone}"))
        i += 1
        records.append(record(i, zone, cc, lat, lon, "2025-12-15T18:00", "2025-12-16T01:00", f"Nocturno en {zone}",
                              recurrence={"rrule": "FREQ=WEEKLY;COUNT=3", "exdates": ["2025-12-22T18:00"], "rdates": ["2026-01-10T09:00"]}))
    for zone, start, end in EDGES:
        i += 1
        cc = next((c for z, c, _, _ in ZONES if z == zone), None)
        lat, lon = next((a, o) for z, _, a, o in ZONES if z == zone)
        records.append(record(i, zone, cc, lat, lon, start, end, f"Cambio de hora en {zone}"))
    for t in text_variants():
        i += 1
        records.append(record(i, "Europe/Madrid", "ES", 40.4, -3.7, "2025-05-01T10:00", "2025-05-01T11:00", t,
                              description={"es": t + "\n" + t}))
    hostile = [
        "Inyección\r\nATTENDEE:mailto:x@example.com\r\nEND:VEVENT",
        "Comas, puntos; y dos puntos: con \\ barra \\n literal",
        "Control\u0001chars\u0007and\u007fDEL\u0085NEL\ufffe\uffffend",
        "]]> <script>alert('x')</script> & &amp; \"quoted\"",
        "RTL: مرحبا بالعالم — שלום עולם \u202eoverride\u202c \u2066isolate\u2069",
        NFD,
        "Palabra" + "larguísima" * 40,
        "Tab\tseparated\ttext and\u2028line\u2029separators",
    ]
    for h in hostile:
        i += 1
        records.append(record(i, "America/Bogota", "CO", 4.6, -74.07, "2025-07-01T09:00", "2025-07-01T10:00", h,
                              summary={"es": h}, description={"es": h + "\n\nSegundo párrafo, con; todo: \\"},
                              organizer={"name": {"es": "Org \"con\" comillas, coma; y: dos puntos\nnueva línea ^ caret ^n"},
                                         "email": "org@example.org"},
                              categories=[{"slug": "a-b", "label": {"es": "Etiqueta, con coma", "en": "Label; semi"}},
                                          {"slug": "c", "label": {"es": h[:40]}}],
                              keywords=[h[:20]]))
    # Every feature at once, in several statuses and attendance modes.
    for status in ["scheduled", "tentative", "cancelled", "postponed", "rescheduled", "movedOnline"]:
        for mode in ["offline", "online", "mixed"]:
            i += 1
            r = record(i, "Europe/Madrid", "ES", 40.42, -3.70, "2025-11-20T19:00", "2025-11-20T21:00",
                       f"Estado {status} / modo {mode}", status=status, attendanceMode=mode, sequence=3,
                       url="https://example.org/e/%d?a=1&b=2;c" % i,
                       localizedUrls={"en": "https://example.org/en/e/%d" % i},
                       summary={"es": "Resumen", "en": "Summary"},
                       description={"es": "<p>Hola <b>mundo</b> &amp; amigos</p><p>Segundo</p>"}, descriptionFormat="html",
                       organizer={"name": {"es": "Organización"}, "email": "org@example.org"} if i % 2 else {"name": {"es": "Sin correo"}, "url": "https://example.org/org"},
                       partners=[{"name": {"es": "Socio"}}],
                       categories=[{"slug": "s", "label": {"es": "Uno", "en": "One"}, "scheme": "x"}],
                       images=[{"url": "https://example.org/i.png", "mediaType": "image/png", "bytes": 1000}],
                       attachments=[{"url": "https://example.org/a.pdf", "mediaType": "application/pdf"}],
                       offers={"isAccessibleForFree": False, "price": "12.50", "currency": "EUR"})
            if status in ("postponed", "rescheduled"):
                r["previousStart"] = "2025-11-13T19:00"
            if mode != "offline" or status == "movedOnline":
                r["online"] = {"url": "https://example.org/join/%d" % i, "features": ["video", "audio", "chat", "screen", "phone"],
                               "label": {"es": "Únete: sala \"A\"; piso 2"}}
            if mode == "online":
                del r["venue"]
            records.append(r)
    for n, (start, end) in enumerate([("2025-05-01", "2025-05-01"), ("2025-05-01", "2025-05-03"), ("2025-12-31", "2026-01-01")]):
        i += 1
        records.append(record(i, "America/Bogota", "CO", 4.6, -74.07, start, end, f"Todo el día {n}", allDay=True,
                              recurrence={"rrule": "FREQ=YEARLY;UNTIL=20280101", "exdates": ["2026-05-01"]} if n == 0 else None))
    i += 1
    records.append(record(i, "Europe/Madrid", "ES", 40.4, -3.7, "2025-05-01T10:00", "2025-05-01T10:00", "Duración cero"))
    i += 1
    r = record(i, "Europe/Madrid", "ES", 40.4, -3.7, "2025-05-01T10:00", "2025-05-01T11:00", "Sin fin")
    del r["end"]
    records.append(r)
    for r in records:
        if r.get("recurrence") is None:
            r.pop("recurrence", None)
    json.dump(records, open(out, "w"), ensure_ascii=False, indent=1)
    print(f"make_stress: {len(records)} records -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "stress.json")
