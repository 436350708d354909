import AgendaFeeds
import AgendaTime
import Foundation

/// `manifest.json`: every file of the export with what it holds and its SHA-256, for websites and
/// CDNs (ETags) and for scripts that check the output. Written on every run, after the files it
/// lists, with the same atomic and incremental rules; entries are sorted by path, so the same
/// export gives the same bytes.
public struct Manifest: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, Codable {
        /// Relative to the output directory, with `/` separators.
        public var path: String
        /// `ics`, `invite`, `rss`, `atom`, `jsonfeed`, `geojson` or `geojsons`.
        public var format: String
        public var language: String
        /// `all`, `category/<slug>`, `country/<cc>`, `upcoming`, `past` or `<from>_<to>`.
        public var partition: String
        /// Calendar events, feed items or map features in the file.
        public var events: Int
        public var bytes: Int
        public var sha256: String
        public var tzdata: String
    }

    public var generator: String
    public var tzdata: String
    /// The export's "now" (RFC 3339, UTC).
    public var generated: String
    public var entries: [Entry]

    /// The JSON text, one entry per line.
    public var json: [UInt8] {
        var s = "{\n  \"generator\": " + Markup.json(generator) + ",\n  \"tzdata\": " + Markup.json(tzdata)
            + ",\n  \"generated\": " + Markup.json(generated) + ",\n  \"files\": ["
        for (i, e) in entries.sorted(by: { $0.path < $1.path }).enumerated() {
            s += (i == 0 ? "\n    " : ",\n    ") + "{\"path\": " + Markup.json(e.path) + ", \"format\": " + Markup.json(e.format)
                + ", \"language\": " + Markup.json(e.language) + ", \"partition\": " + Markup.json(e.partition)
                + ", \"events\": \(e.events), \"bytes\": \(e.bytes), \"sha256\": " + Markup.json(e.sha256)
                + ", \"tzdata\": " + Markup.json(e.tzdata) + "}"
        }
        s += entries.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return Array(s.utf8)
    }

    /// The file paths listed in an existing manifest, or nil when there is none (or it is not one).
    static func paths(inFileAt path: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = object["files"] as? [[String: Any]]
        else { return nil }
        return files.compactMap { $0["path"] as? String }
    }

    /// A manifest path this exporter could have written: relative, no `..`, nothing hidden. A
    /// hand-edited manifest must never make a run delete files outside the output directory.
    static func isSafe(_ relative: String) -> Bool {
        !relative.isEmpty && !relative.hasPrefix("/")
            && !relative.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0.hasPrefix(".") }
    }
}
