#!/usr/bin/env python3
"""check_map.py MAP_HTML FEEDS_DIR [SCREENSHOT_DIR] -- renders the map page in headless Chromium.

The page loads Leaflet from a CDN (pinned with SRI); offline, this test serves Debian's
libjs-leaflet in its place (the CDN tags are rewritten to local copies without the integrity
attribute, which only holds for the CDN's bytes) together with FEEDS_DIR over HTTP on 127.0.0.1,
opens the page in each language and reads the state the page publishes in #map-state. It fails
unless: the page is ready with no JavaScript error, there is one marker per feature with a
geometry, each marker sits exactly at its feature's [lon, lat] and inside the visible map, and
Chromium logged no uncaught error. Screenshots go to SCREENSHOT_DIR when given.
"""
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

LEAFLET = "/usr/share/javascript/leaflet"


def chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def build_site(page, feeds, root):
    os.makedirs(os.path.join(root, "map"))
    shutil.copytree(LEAFLET, os.path.join(root, "vendor", "leaflet"))
    shutil.copytree(feeds, os.path.join(root, "Feeds"), ignore=shutil.ignore_patterns("events"))
    text = open(page, encoding="utf-8").read()
    cdn = re.findall(r'https://unpkg\.com/leaflet@[0-9.]+/dist/(leaflet\.(?:css|js))', text)
    if sorted(set(cdn)) != ["leaflet.css", "leaflet.js"]:
        raise SystemExit("check_map: the page does not load leaflet.css and leaflet.js from the CDN")
    if len(re.findall(r'integrity="sha(256|384|512)-', text)) < 2:
        raise SystemExit("check_map: the CDN tags have no Subresource Integrity hash")
    text = re.sub(r'https://unpkg\.com/leaflet@[0-9.]+/dist/', "/vendor/leaflet/", text)
    text = re.sub(r'\s+integrity="[^"]*"', "", text)
    open(os.path.join(root, "map", "index.html"), "w", encoding="utf-8").write(text)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    handler = functools.partial(QuietHandler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def features_with_geometry(path):
    data = json.load(open(path, encoding="utf-8"))
    return {f["id"]: f["geometry"]["coordinates"] for f in data["features"] if f.get("geometry")}


def main(page, feeds, shots=None):
    if not chromium() or not os.path.exists(os.path.join(LEAFLET, "leaflet.js")):
        print("check_map: needs chromium and libjs-leaflet (../shared/validators/setup.sh installs them)")
        return 3
    problems = []
    with tempfile.TemporaryDirectory(prefix="agenda-map-") as root:
        build_site(page, feeds, root)
        server = serve(root)
        port = server.server_address[1]
        for language in ("es", "en"):
            expected = features_with_geometry(os.path.join(feeds, f"all.{language}.geojson"))
            url = f"http://127.0.0.1:{port}/map/index.html?lang={language}&tiles=none&feeds=/Feeds/"
            common = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                      "--no-first-run", "--hide-scrollbars", "--window-size=1200,800",
                      "--virtual-time-budget=8000", "--enable-logging=stderr", "--v=0",
                      f"--user-data-dir={root}/profile-{language}"]
            run = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True, timeout=120)
            m = re.search(r'<pre id="map-state" hidden="">(.*?)</pre>', run.stdout, re.S)
            if not m:
                problems.append(f"{language}: no #map-state in the rendered page")
                continue
            state = json.loads(html.unescape(m.group(1)))
            where = f"{language}:"
            if state.get("status") != "ready":
                problems.append(f"{where} page status {state.get('status')!r}, errors {state.get('errors')}")
                continue
            for e in state.get("errors", []):
                problems.append(f"{where} JavaScript error: {e}")
            for line in run.stderr.splitlines():
                if "Uncaught" in line:
                    problems.append(f"{where} console: {line.strip()[:200]}")
            seen = {}
            for marker in state["markers"]:
                seen[marker["id"]] = marker
                lon, lat = expected.get(marker["id"], (None, None))
                if lon is None:
                    problems.append(f"{where} marker {marker['id']} is not a feature of the file")
                elif abs(marker["lon"] - lon) > 1e-9 or abs(marker["lat"] - lat) > 1e-9:
                    problems.append(f"{where} {marker['id']} drawn at [{marker['lon']}, {marker['lat']}], feature at [{lon}, {lat}]")
                if not marker["visible"] or not (0 <= marker["x"] <= 1200 and 0 <= marker["y"] <= 800):
                    problems.append(f"{where} {marker['id']} is outside the visible map")
            for missing in sorted(set(expected) - set(seen)):
                problems.append(f"{where} feature {missing} has no marker")
            print(f"check_map: {language}: {len(seen)} markers for {len(expected)} located features, "
                  f"{state.get('online', 0)} online-only", file=sys.stderr)
            if shots:
                os.makedirs(shots, exist_ok=True)
                png = os.path.join(os.path.abspath(shots), f"map.{language}.png")
                subprocess.run(common + [f"--screenshot={png}", url], capture_output=True, timeout=120)
        server.shutdown()
    for p in problems:
        print("check_map:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:4]))
