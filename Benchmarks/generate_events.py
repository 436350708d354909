#!/usr/bin/env python3
"""generate_events.py N OUT.jsonl -- a deterministic batch of N bilingual event records over 50
zones, each with a venue, an organizer, categories and about 1 KB of Spanish and English text.
The same N always gives the same bytes (seeded), so runs are comparable."""
import json
import random
import sys

ZONES = [
    ("America/Bogota", "CO", 4.6, -74.1), ("America/Mexico_City", "MX", 19.4, -99.1), ("America/Lima", "PE", -12.0, -77.0),
    ("America/Santiago", "CL", -33.4, -70.6), ("America/Argentina/Buenos_Aires", "AR", -34.6, -58.4),
    ("America/Sao_Paulo", "BR", -23.5, -46.6), ("America/Asuncion", "PY", -25.3, -57.6), ("America/Montevideo", "UY", -34.9, -56.2),
    ("America/Caracas", "VE", 10.5, -66.9), ("America/Guayaquil", "EC", -2.2, -79.9), ("America/La_Paz", "BO", -16.5, -68.1),
    ("America/Costa_Rica", "CR", 9.9, -84.1), ("America/Panama", "PA", 9.0, -79.5), ("America/Guatemala", "GT", 14.6, -90.5),
    ("America/El_Salvador", "SV", 13.7, -89.2), ("America/Tegucigalpa", "HN", 14.1, -87.2), ("America/Managua", "NI", 12.1, -86.3),
    ("America/Havana", "CU", 23.1, -82.4), ("America/Santo_Domingo", "DO", 18.5, -69.9), ("America/Puerto_Rico", "PR", 18.4, -66.1),
    ("America/New_York", "US", 40.7, -74.0), ("America/Chicago", "US", 41.9, -87.6), ("America/Denver", "US", 39.7, -105.0),
    ("America/Los_Angeles", "US", 34.1, -118.2), ("America/Toronto", "CA", 43.7, -79.4), ("America/Vancouver", "CA", 49.3, -123.1),
    ("America/Ciudad_Juarez", "MX", 31.7, -106.4), ("Europe/Madrid", "ES", 40.4, -3.7), ("Atlantic/Canary", "ES", 28.1, -15.4),
    ("Europe/Lisbon", "PT", 38.7, -9.1), ("Europe/Paris", "FR", 48.9, 2.35), ("Europe/Berlin", "DE", 52.5, 13.4),
    ("Europe/London", "GB", 51.5, -0.1), ("Europe/Dublin", "IE", 53.3, -6.3), ("Europe/Rome", "IT", 41.9, 12.5),
    ("Africa/Casablanca", "MA", 33.6, -7.6), ("Africa/Nairobi", "KE", -1.3, 36.8), ("Africa/Lagos", "NG", 6.5, 3.4),
    ("Africa/Johannesburg", "ZA", -26.2, 28.0), ("Africa/Cairo", "EG", 30.0, 31.2), ("Asia/Jerusalem", "IL", 31.8, 35.2),
    ("Asia/Kolkata", "IN", 28.6, 77.2), ("Asia/Manila", "PH", 14.6, 121.0), ("Asia/Tokyo", "JP", 35.7, 139.7),
    ("Asia/Jakarta", "ID", -6.2, 106.8), ("Asia/Seoul", "KR", 37.6, 127.0), ("Australia/Sydney", "AU", -33.9, 151.2),
    ("Australia/Lord_Howe", "AU", -31.55, 159.08), ("Pacific/Auckland", "NZ", -36.85, 174.76), ("Pacific/Chatham", "NZ", -43.95, -176.55),
]
WORDS_ES = "participación ciudadana gobierno abierto datos transparencia rendición cuentas presupuesto año niñez señal diálogo municipio región comunidad política pública integridad contratación acceso información".split()
WORDS_EN = "citizen participation open government data transparency accountability budget year childhood signal dialogue municipality region community public policy integrity procurement access information".split()
CATS = [("open-data", "Datos abiertos", "Open Data"), ("public-participation", "Participación pública", "Public Participation"),
        ("anti-corruption", "Anticorrupción", "Anti-Corruption"), ("workshop", "Taller", "Workshop"),
        ("fiscal-openness", "Apertura fiscal", "Fiscal Openness"), ("seminar-panel", "Seminario/Panel", "Seminar/Panel")]


def text(rng, words, n):
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def main(n, out):
    rng = random.Random(20240530)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            zone, cc, lat, lon = ZONES[i % len(ZONES)]
            day = 1 + (i * 7) % 28
            month = 1 + (i // 28) % 12
            hour = 8 + i % 10
            cats = rng.sample(CATS, 2)
            rec = {
                "schemaVersion": 1, "id": f"bench-{i:07d}", "defaultLanguage": "es",
                "title": {"es": "Foro “" + text(rng, WORDS_ES, 6) + "”", "en": "Forum “" + text(rng, WORDS_EN, 6) + "”"},
                "description": {"es": text(rng, WORDS_ES, 32), "en": text(rng, WORDS_EN, 32)},
                "timeZone": zone, "start": f"2025-{month:02d}-{day:02d}T{hour:02d}:00", "end": f"2025-{month:02d}-{day:02d}T{hour + 2:02d}:30",
                "url": f"https://events.example.org/e/{i}",
                "venue": {"name": {"es": "Biblioteca " + text(rng, WORDS_ES, 2)}, "address": {"locality": "Ciudad", "countryCode": cc},
                          "geo": {"lat": round(lat + rng.uniform(-0.1, 0.1), 5), "lon": round(lon + rng.uniform(-0.1, 0.1), 5)}},
                "organizer": {"name": {"es": "Secretaría " + text(rng, WORDS_ES, 2), "en": "Office " + text(rng, WORDS_EN, 2)},
                              "url": "https://events.example.org/org"},
                "categories": [{"slug": s, "scheme": "ogp-theme", "label": {"es": es, "en": en}} for s, es, en in cats],
                "created": "2025-01-01T00:00:00Z", "updated": "2025-01-02T00:00:00Z",
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
