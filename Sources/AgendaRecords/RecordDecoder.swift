import AgendaTime

/// Turns a raw record into a validated `EventRecord`, or explains precisely why not.
///
/// Beyond the JSON Schema it checks what the schema cannot express: every text map has the
/// default language, end ≥ start, coordinates are finite and in range, dates exist, language tags
/// are valid BCP 47 (and are canonicalized), and text is NFC. Unknown fields are warnings (the
/// field is ignored); anything that would change what is exported is an error.
public struct RecordDecoder: Sendable {
    public init() {}

    public struct Result: Sendable {
        /// The record, when it has no errors.
        public var record: EventRecord?
        public var diagnostics: [Diagnostic]
    }

    public func decode(_ raw: RawRecord) -> Result {
        let c = Context(origin: raw.origin)
        let record = c.record(raw.node)
        // Every rejection is explained; this guards the invariant should a check ever fail silently.
        if c.failed && !c.diagnostics.contains(where: { $0.severity == .error }) {
            c.error(raw.node, nil, "the record could not be read")
        }
        return Result(record: c.failed ? nil : record, diagnostics: c.diagnostics)
    }
}

/// Decoding state for one record.
private final class Context {
    let origin: RecordOrigin
    var diagnostics: [Diagnostic] = []
    var failed = false

    init(origin: RecordOrigin) { self.origin = origin }

    func error(_ node: Node?, _ path: String?, _ message: String) {
        failed = true
        diagnostics.append(origin.diagnostic(.error, line: node?.line, field: path, message))
    }

    func warning(_ node: Node?, _ path: String?, _ message: String) {
        diagnostics.append(origin.diagnostic(.warning, line: node?.line, field: path, message))
    }

    // MARK: shapes

    /// The members of an object, warning about fields the schema does not define.
    func members(_ node: Node, _ path: @autoclosure () -> String, allowed: FieldNames) -> Members? {
        guard case .object(let list) = node.value else {
            error(node, path().isEmpty ? nil : path(), "expected an object, found \(node.typeName)")
            return nil
        }
        // The usual object: every key a schema name in its own bytes, none twice. It is used as it
        // is, not copied. (Keys that pass are ASCII, so keys of other lengths cannot be equal.)
        // The keys are gathered first: reaching a key through the list copied its node with it.
        var keys: [String] = []
        keys.reserveCapacity(list.count)
        for (key, _) in list { keys.append(key) }
        let usual = keys.withUnsafeBufferPointer { keys in
            for i in keys.indices {
                guard allowed.containsSpelling(keys[i]) else { return false }
                let n = keys[i].utf8.count
                for j in 0..<i where keys[j].utf8.count == n && keys[j] == keys[i] { return false }
            }
            return true
        }
        if usual { return Members(keys: keys, list: list) }
        var result = Members()
        for (key, value) in list {
            // Compared in full: two spellings of one non-ASCII key are the same field twice.
            if result.keys.contains(key) {
                error(value, path().isEmpty ? key : path() + "." + key, "the field appears twice")
                continue
            }
            if !allowed.contains(key) {
                warning(value, path().isEmpty ? key : path() + "." + key, "unknown field; ignored")
                continue
            }
            result.keys.append(key)
            result.list.append((key, value))
        }
        return result
    }

    func string(_ node: Node?, _ path: @autoclosure () -> String, required: Bool = false) -> String? {
        guard let node, !isNull(node) else {
            if required { error(node, path(), "required field is missing") }
            return nil
        }
        guard case .string(let s) = node.value else {
            error(node, path(), "expected a string, found \(node.typeName) (\(node.quoted))")
            return nil
        }
        if node.repairedText {
            error(node, path(), "the text is not valid UTF-8 (or holds a lone surrogate)")
            return nil
        }
        if node.oversized {
            error(node, path(), "the text is longer than \(JSONLimits.maxStringBytes >> 20) MiB, the limit for one field")
            return nil
        }
        return Language.nfc(s)
    }

    func isNull(_ node: Node) -> Bool {
        if case .null = node.value { return true }
        return false
    }

    func number(_ node: Node?, _ path: @autoclosure () -> String) -> (Double, String)? {
        guard let node, !isNull(node) else { return nil }
        switch node.value {
        case .number(let d, let text): return (d, text)
        case .string(let s) where node.untyped:
            let t = s.trimming(" ")
            if let d = Double(t), d.isFinite { return (d, t) }
            error(node, path(), "'\(s)' is not a finite number")
        default:
            error(node, path(), "expected a number, found \(node.typeName) (\(node.quoted))")
        }
        return nil
    }

    func integer(_ node: Node?, _ path: @autoclosure () -> String, minimum: Int = 0) -> Int? {
        guard let (d, text) = number(node, path()) else { return nil }
        guard d == d.rounded(), abs(d) < 1e15 else {
            error(node, path(), "\(text) is not a whole number")
            return nil
        }
        guard Int(d) >= minimum else {
            error(node, path(), "\(text) is below the minimum (\(minimum))")
            return nil
        }
        return Int(d)
    }

    func bool(_ node: Node?, _ path: @autoclosure () -> String) -> Bool? {
        guard let node, !isNull(node) else { return nil }
        switch node.value {
        case .bool(let b): return b
        case .string(let s) where node.untyped:
            switch s.lowercased() {
            case "true", "yes", "1": return true
            case "false", "no", "0": return false
            default: error(node, path(), "'\(s)' is not true or false")
            }
        default: error(node, path(), "expected true or false, found \(node.typeName) (\(node.quoted))")
        }
        return nil
    }

    func array(_ node: Node?, _ path: @autoclosure () -> String) -> [Node]? {
        guard let node, !isNull(node) else { return nil }
        guard case .array(let items) = node.value else {
            error(node, path(), "expected an array, found \(node.typeName)")
            return nil
        }
        return items
    }

    func oneOf<E: RawRepresentable & CaseIterable>(_ node: Node?, _ path: @autoclosure () -> String, _: E.Type) -> E?
    where E.RawValue == String {
        guard let s = string(node, path()) else { return nil }
        if let e = E(rawValue: s) { return e }
        error(node, path(), "'\(s)' is not one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        return nil
    }

    func uri(_ node: Node?, _ path: @autoclosure () -> String, required: Bool = false) -> String? {
        guard let s = string(node, path(), required: required) else { return nil }
        guard FieldRules.isURI(s) else {
            error(node, path(), "'\(s)' is not an http(s) or mailto URI")
            return nil
        }
        return s
    }

    func language(_ node: Node?, _ path: @autoclosure () -> String, _ text: String) -> String? {
        guard let tag = FieldRules.languageTag(text) else {
            error(node, path(), "'\(text)' is not a valid BCP 47 language tag")
            return nil
        }
        return tag
    }

    func localized(_ node: Node?, _ path: @autoclosure () -> String, required: Bool = false) -> LocalizedText? {
        guard let node, !isNull(node) else {
            if required { error(node, path(), "required field is missing") }
            return nil
        }
        guard case .object(let list) = node.value else {
            error(node, path(), "expected a language map such as {\"es\": \"…\"}, found \(node.typeName)")
            return nil
        }
        if list.isEmpty {
            error(node, path(), "the language map is empty")
            return nil
        }
        var entries: [LocalizedText.Entry] = []
        entries.reserveCapacity(list.count)
        for (key, value) in list {
            guard let tag = language(value, path(), key) else { continue }
            guard let text = string(value, path() + "." + key) else {
                if isNull(value) { error(value, path() + "." + key, "expected a string, found null") }
                continue
            }
            if text.isEmpty {
                error(value, path() + "." + key, "the text is empty")
                continue
            }
            if entries.contains(where: { $0.language == tag }) {
                error(value, path() + "." + key, "language '\(tag)' appears twice")
                continue
            }
            entries.append(LocalizedText.Entry(language: tag, text: text))
        }
        return entries.isEmpty ? nil : LocalizedText(entries: entries)
    }

    func time(_ node: Node?, _ path: @autoclosure () -> String, allDay: Bool, required: Bool = false) -> EventTime? {
        guard let s = string(node, path(), required: required) else { return nil }
        if let t = FieldRules.time(s, allDay: allDay) { return t }
        if allDay {
            error(node, path(), LocalDateTime(iso: s) != nil
                  ? "expected a date (YYYY-MM-DD) for an all-day event, found '\(s)'"
                  : "'\(s)' is not a valid date (YYYY-MM-DD)")
        } else if CivilDate(iso: s) != nil {
            error(node, path(), "expected a local date-time (YYYY-MM-DDThh:mm), found the date '\(s)' (set allDay: true for all-day events)")
        } else if s.hasSuffix("Z") || s.dropFirst(16).contains(where: { $0 == "+" || $0 == "-" }) {
            error(node, path(), "'\(s)' has an offset; write the local wall time and give the zone in timeZone")
        } else {
            error(node, path(), "'\(s)' is not a valid local date-time (YYYY-MM-DDThh:mm[:ss])")
        }
        return nil
    }

    func anyTime(_ node: Node?, _ path: @autoclosure () -> String) -> EventTime? {
        guard let s = string(node, path()) else { return nil }
        if let t = EventTime(iso: s) { return t }
        error(node, path(), "'\(s)' is not a valid date (YYYY-MM-DD) or local date-time (YYYY-MM-DDThh:mm)")
        return nil
    }

    func instant(_ node: Node?, _ path: @autoclosure () -> String) -> Instant? {
        guard let s = string(node, path()) else { return nil }
        guard let i = FieldRules.utcInstant(s) else {
            error(node, path(), "'\(s)' is not a UTC instant (RFC 3339 ending in Z, e.g. 2024-05-20T15:00:00Z)")
            return nil
        }
        return i
    }

    func list<T>(_ node: Node?, _ path: @autoclosure () -> String, _ element: (Node, @autoclosure () -> String) -> T?) -> [T] {
        guard let items = array(node, path()) else { return [] }
        // The element's path is built only if it is needed for a message.
        return withoutActuallyEscaping(path) { base in
            var result: [T] = []
            result.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                if let value = element(item, "\(base())[\(i)]") { result.append(value) }
            }
            return result
        }
    }

    // MARK: the record

    func record(_ node: Node) -> EventRecord? {
        guard let m = members(node, "", allowed: RecordSchema.root) else { return nil }
        if let v = m["schemaVersion"] {
            if let n = integer(v, "schemaVersion"), n != 1 { error(v, "schemaVersion", "\(n) is not supported (only 1)") }
        } else {
            error(node, "schemaVersion", "required field is missing")
        }
        let id = string(m["id"], "id", required: true)
        if let id, !FieldRules.isID(id) {
            error(m["id"], "id", "'\(id)' is not a valid id (1–128 of A–Z a–z 0–9 . _ ~ -)")
        }
        var defaultLanguage: String?
        if let s = string(m["defaultLanguage"], "defaultLanguage", required: true) {
            defaultLanguage = language(m["defaultLanguage"], "defaultLanguage", s)
        }
        let title = localized(m["title"], "title", required: true)
        let allDay = bool(m["allDay"], "allDay") ?? false
        let start = time(m["start"] ?? Node(.null, line: node.line), "start", allDay: allDay, required: true)
        let end = time(m["end"], "end", allDay: allDay)
        let timeZone = string(m["timeZone"], "timeZone", required: true)
        if let tz = timeZone, tz.trimming(" ").isEmpty { error(m["timeZone"], "timeZone", "the zone is empty") }

        guard let id, let defaultLanguage, let title, let start, let timeZone else {
            failed = true
            return nil
        }
        var r = EventRecord(id: id, defaultLanguage: defaultLanguage, title: title, timeZone: timeZone, start: start)
        r.allDay = allDay
        r.end = end
        r.sequence = integer(m["sequence"], "sequence") ?? 0
        r.status = oneOf(m["status"], "status", EventStatus.self) ?? .scheduled
        r.previousStart = anyTime(m["previousStart"], "previousStart")
        r.summary = localized(m["summary"], "summary")
        r.description = localized(m["description"], "description")
        r.descriptionFormat = oneOf(m["descriptionFormat"], "descriptionFormat", DescriptionFormat.self) ?? .text
        r.url = uri(m["url"], "url")
        if let lu = m["localizedUrls"], !isNull(lu), case .object(let list) = lu.value {
            for (key, value) in list {
                if let tag = language(value, "localizedUrls", key), let u = uri(value, "localizedUrls." + key) {
                    r.localizedURLs.append((tag, u))
                }
            }
        } else if let lu = m["localizedUrls"], !isNull(lu) {
            error(lu, "localizedUrls", "expected a language map of URLs, found \(lu.typeName)")
        }
        r.attendanceMode = oneOf(m["attendanceMode"], "attendanceMode", AttendanceMode.self) ?? .offline
        r.recurrence = recurrence(m["recurrence"], allDay: allDay)
        r.online = online(m["online"])
        r.venue = venue(m["venue"])
        r.organizer = party(m["organizer"], "organizer")
        r.partners = list(m["partners"], "partners") { self.party($0, $1()) }
        r.categories = list(m["categories"], "categories") { self.category($0, $1()) }
        r.keywords = list(m["keywords"], "keywords") { self.string($0, $1()) }
        r.images = list(m["images"], "images") { self.image($0, $1()) }
        r.attachments = list(m["attachments"], "attachments") { self.attachment($0, $1()) }
        r.offers = offers(m["offers"])
        r.created = instant(m["created"], "created")
        r.updated = instant(m["updated"], "updated")
        r.source = source(m["source"])
        checkRules(r, m, node)
        return r
    }

    /// The schema's conditional rules and the checks it cannot express.
    func checkRules(_ r: EventRecord, _ m: Members, _ node: Node) {
        if let end = r.end, end.localDateTime < r.start.localDateTime {
            error(m["end"], "end", "\(end) is before start \(r.start)")
        }
        if (r.attendanceMode == .online || r.attendanceMode == .mixed) && r.online == nil && m["online"] == nil {
            error(node, "online", "required for attendanceMode '\(r.attendanceMode.rawValue)' (the URL to join)")
        }
        if (r.attendanceMode == .offline || r.attendanceMode == .mixed) && r.venue == nil && m["venue"] == nil {
            error(node, "venue", "required for attendanceMode '\(r.attendanceMode.rawValue)'")
        }
        if (r.status == .postponed || r.status == .rescheduled) && r.previousStart == nil && m["previousStart"] == nil {
            error(node, "previousStart", "required for status '\(r.status.rawValue)'")
        }
        // Every text map must speak the default language (the fallback for every output language).
        // Paths are built only for a message: this runs for every record.
        func check(_ text: LocalizedText?, _ n: Node?, _ path: @autoclosure () -> String) {
            guard let text, !text.entries.contains(where: { $0.language == r.defaultLanguage }) else { return }
            error(n ?? node, path(), "has no text in the default language '\(r.defaultLanguage)' (has \(text.languages.joined(separator: ", ")))")
        }
        check(r.title, m["title"], "title")
        check(r.summary, m["summary"], "summary")
        check(r.description, m["description"], "description")
        check(r.venue?.name, nil, "venue.name")
        check(r.venue?.room, nil, "venue.room")
        check(r.organizer?.name, nil, "organizer.name")
        check(r.online?.label, nil, "online.label")
        for (i, p) in r.partners.enumerated() { check(p.name, nil, "partners[\(i)].name") }
        for (i, c) in r.categories.enumerated() { check(c.label, nil, "categories[\(i)].label") }
        for (i, im) in r.images.enumerated() { check(im.alt, nil, "images[\(i)].alt") }
        for (i, a) in r.attachments.enumerated() { check(a.title, nil, "attachments[\(i)].title") }
    }

    func recurrence(_ node: Node?, allDay: Bool) -> Recurrence? {
        guard let node, !isNull(node), let m = members(node, "recurrence", allowed: RecordSchema.recurrence) else { return nil }
        var r = Recurrence()
        if let rule = string(m["rrule"], "recurrence.rrule") {
            if let problem = RRuleCheck.problem(rule, allDay: allDay) { error(m["rrule"], "recurrence.rrule", problem) } else { r.rrule = rule }
        }
        r.rdates = list(m["rdates"], "recurrence.rdates") { self.time($0, $1(), allDay: allDay) }
        r.exdates = list(m["exdates"], "recurrence.exdates") { self.time($0, $1(), allDay: allDay) }
        return r
    }

    func online(_ node: Node?) -> OnlineAccess? {
        guard let node, !isNull(node), let m = members(node, "online", allowed: RecordSchema.online) else { return nil }
        guard let url = uri(m["url"], "online.url", required: true) else {
            if m["url"] == nil { error(node, "online.url", "required field is missing") }
            return nil
        }
        let features = list(m["features"], "online.features") { (n: Node, p: @autoclosure () -> String) -> String? in
            guard let f = self.string(n, p()) else { return nil }
            guard FieldRules.onlineFeatures.contains(f) else {
                self.error(n, p(), "'\(f)' is not one of audio, video, chat, screen, phone")
                return nil
            }
            return f
        }
        return OnlineAccess(url: url, label: localized(m["label"], "online.label"), features: features)
    }

    func venue(_ node: Node?) -> Venue? {
        guard let node, !isNull(node), let m = members(node, "venue", allowed: RecordSchema.venue) else { return nil }
        guard let name = localized(m["name"], "venue.name") else {
            if m["name"] == nil { error(node, "venue.name", "required field is missing") }
            return nil
        }
        var v = Venue(id: nil, name: name)
        v.id = string(m["id"], "venue.id")
        v.room = localized(m["room"], "venue.room")
        v.url = uri(m["url"], "venue.url")
        if let a = m["address"], !isNull(a), let am = members(a, "venue.address", allowed: RecordSchema.address) {
            var addr = Address()
            addr.street = string(am["street"], "venue.address.street")
            addr.locality = string(am["locality"], "venue.address.locality")
            addr.region = string(am["region"], "venue.address.region")
            addr.postalCode = string(am["postalCode"], "venue.address.postalCode")
            if let rc = string(am["regionCode"], "venue.address.regionCode") {
                if FieldRules.isRegionCode(rc) {
                    addr.regionCode = rc
                } else {
                    error(am["regionCode"], "venue.address.regionCode", "'\(rc)' is not an ISO 3166-2 code (e.g. CO-VAC)")
                }
            }
            if let cc = string(am["countryCode"], "venue.address.countryCode") {
                if FieldRules.isCountryCode(cc) {
                    addr.countryCode = cc
                } else {
                    error(am["countryCode"], "venue.address.countryCode", "'\(cc)' is not an ISO 3166-1 alpha-2 code (e.g. CO)")
                }
            }
            v.address = addr
        }
        if let g = m["geo"], !isNull(g), let gm = members(g, "venue.geo", allowed: RecordSchema.geo) {
            let lat = coordinate(gm["lat"], "venue.geo.lat", limit: 90)
            let lon = coordinate(gm["lon"], "venue.geo.lon", limit: 180)
            if gm["lat"] == nil { error(g, "venue.geo.lat", "required field is missing") }
            if gm["lon"] == nil { error(g, "venue.geo.lon", "required field is missing") }
            var accuracy: Double?
            if let (a, text) = number(gm["accuracyMeters"], "venue.geo.accuracyMeters") {
                if a < 0 { error(gm["accuracyMeters"], "venue.geo.accuracyMeters", "\(text) is negative") } else { accuracy = a }
            }
            if let lat, let lon { v.geo = GeoPoint(latitude: lat, longitude: lon, accuracyMeters: accuracy) }
        }
        return v
    }

    func coordinate(_ node: Node?, _ path: @autoclosure () -> String, limit: Double) -> Double? {
        guard let (value, text) = number(node, path()) else { return nil }
        guard value >= -limit, value <= limit else {
            error(node, path(), "\(text) is out of range (-\(Int(limit))…\(Int(limit)))")
            return nil
        }
        return value
    }

    func party(_ node: Node, _ path: @autoclosure () -> String) -> Party? { party(Optional(node), path()) }

    func party(_ node: Node?, _ path: @autoclosure () -> String) -> Party? {
        guard let node, !isNull(node), let m = members(node, path(), allowed: RecordSchema.party) else { return nil }
        guard let name = localized(m["name"], path() + ".name") else {
            if m["name"] == nil { error(node, path() + ".name", "required field is missing") }
            return nil
        }
        var p = Party(name: name)
        if let k = string(m["kind"], path() + ".kind") {
            if let kind = Party.Kind(rawValue: k) { p.kind = kind } else {
                error(m["kind"], path() + ".kind", "'\(k)' is not one of organization, person")
            }
        }
        p.url = uri(m["url"], path() + ".url")
        if let e = string(m["email"], path() + ".email") {
            if Email.isValid(e) { p.email = e } else { error(m["email"], path() + ".email", "'\(e)' is not an email address") }
        }
        return p
    }

    func category(_ node: Node, _ path: @autoclosure () -> String) -> Category? {
        guard let m = members(node, path(), allowed: RecordSchema.category) else { return nil }
        let slug = string(m["slug"], path() + ".slug", required: true)
        if m["slug"] == nil { error(node, path() + ".slug", "required field is missing") }
        let label = localized(m["label"], path() + ".label", required: true)
        if m["label"] == nil { error(node, path() + ".label", "required field is missing") }
        guard let slug, let label else { return nil }
        guard FieldRules.isSlug(slug) else {
            error(m["slug"], path() + ".slug", "'\(slug)' is not a slug (lower-case letters and digits joined by single hyphens)")
            return nil
        }
        return Category(slug: slug, label: label, scheme: string(m["scheme"], path() + ".scheme"))
    }

    func image(_ node: Node, _ path: @autoclosure () -> String) -> Image? {
        guard let m = members(node, path(), allowed: RecordSchema.image) else { return nil }
        guard let url = uri(m["url"], path() + ".url", required: true) else {
            if m["url"] == nil { error(node, path() + ".url", "required field is missing") }
            return nil
        }
        return Image(url: url, alt: localized(m["alt"], path() + ".alt"), mediaType: string(m["mediaType"], path() + ".mediaType"),
                     width: integer(m["width"], path() + ".width"), height: integer(m["height"], path() + ".height"),
                     bytes: integer(m["bytes"], path() + ".bytes"))
    }

    func attachment(_ node: Node, _ path: @autoclosure () -> String) -> Attachment? {
        guard let m = members(node, path(), allowed: RecordSchema.attachment) else { return nil }
        guard let url = uri(m["url"], path() + ".url", required: true) else {
            if m["url"] == nil { error(node, path() + ".url", "required field is missing") }
            return nil
        }
        var lang: String?
        if let l = string(m["language"], path() + ".language") { lang = language(m["language"], path() + ".language", l) }
        return Attachment(url: url, title: localized(m["title"], path() + ".title"),
                          mediaType: string(m["mediaType"], path() + ".mediaType"), language: lang,
                          bytes: integer(m["bytes"], path() + ".bytes"))
    }

    func offers(_ node: Node?) -> Offers? {
        guard let node, !isNull(node), let m = members(node, "offers", allowed: RecordSchema.offers) else { return nil }
        var o = Offers()
        o.isAccessibleForFree = bool(m["isAccessibleForFree"], "offers.isAccessibleForFree")
        if let p = string(m["price"], "offers.price") {
            let parts = p.split(separator: ".", omittingEmptySubsequences: false)
            if (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) {
                o.price = p
            } else {
                error(m["price"], "offers.price", "'\(p)' is not a price (digits with an optional decimal part, e.g. 12.50)")
            }
        }
        if let c = string(m["currency"], "offers.currency") {
            if c.count == 3, c.allSatisfy({ $0.isASCII && $0.isUppercase }) { o.currency = c } else {
                error(m["currency"], "offers.currency", "'\(c)' is not an ISO 4217 code (e.g. COP)")
            }
        }
        o.url = uri(m["url"], "offers.url")
        if let a = string(m["availability"], "offers.availability") {
            if ["InStock", "SoldOut", "PreOrder"].contains(a) { o.availability = a } else {
                error(m["availability"], "offers.availability", "'\(a)' is not one of InStock, SoldOut, PreOrder")
            }
        }
        if let v = string(m["validFrom"], "offers.validFrom") {
            if Instant(rfc3339: v) != nil { o.validFrom = v } else {
                error(m["validFrom"], "offers.validFrom", "'\(v)' is not an RFC 3339 date-time")
            }
        }
        return o
    }

    func source(_ node: Node?) -> SourceInfo? {
        guard let node, !isNull(node), let m = members(node, "source", allowed: RecordSchema.source) else { return nil }
        var s = SourceInfo(platform: string(m["platform"], "source.platform"), url: uri(m["url"], "source.url"))
        if let r = string(m["retrieved"], "source.retrieved") {
            if Instant(rfc3339: r) != nil { s.retrieved = r } else {
                error(m["retrieved"], "source.retrieved", "'\(r)' is not an RFC 3339 date-time")
            }
        }
        return s
    }
}

/// A deliberately simple address check: one @, a dotted domain, no spaces or control characters.
enum Email {
    static func isValid(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
              !parts[1].hasSuffix("."), s.count <= 254 else { return false }
        return s.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !"<>()[],;:\\\"".unicodeScalars.contains($0) }
    }
}

/// The known members of an object, looked up by a linear search: records have a few dozen fields
/// at most, and hashing every key cost more than comparing them.
struct Members {
    /// The keys of `list`, apart: searching the list itself copied every member's node it passed.
    var keys: [String] = []
    var list: [(key: String, value: Node)] = []

    subscript(key: String) -> Node? {
        // Lengths are compared first: the decoder looks up schema keys, which are ASCII, so a key
        // of another length cannot be equal (not even canonically), and most lookups pass a dozen
        // other keys.
        let length = key.utf8.count
        let index = keys.withUnsafeBufferPointer { keys in
            keys.firstIndex { $0.utf8.count == length && $0 == key }
        }
        return index.map { list[$0].value }
    }
}
