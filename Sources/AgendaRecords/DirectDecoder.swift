import AgendaTime
import CAgendaScan

/// Decodes the usual JSON Lines record straight from its bytes into an `EventRecord`, with no
/// `Node` tree in between, or gives up.
///
/// Why: building the tree, looking members up in it and freeing it was over half of an ICS
/// export's work (see BENCHMARKS.md). Most records of a batch are ordinary: every key a schema
/// field, once, every value of its type and valid. For those this decoder builds the record as it
/// reads. At the first thing that is not ordinary (an unknown or repeated key, a null, a value of
/// another type, a value `RecordDecoder` would reject or warn about, or a field it leaves to that
/// decoder: `localizedUrls`, `recurrence`, `images`, `attachments`, `offers`, `source`) it returns
/// nil, and the record goes the usual way: `RecordDecoder`, which explains every problem with its
/// line and field.
///
/// The contract, held by `DirectDecoderTests`: whenever this returns a record, `RecordDecoder`
/// returns the same record and no diagnostic at all. Both use the same lexer (`JSONParser`) and
/// the same value checks (`FieldRules`).
public enum DirectDecoder {
    /// The record on the line, or nil to let `RecordDecoder` decide.
    public static func record(_ line: [UInt8]) -> EventRecord? { record(line, memo: nil) }

    /// `record(_:)` with one thread's memo: the objects records share are decoded once (see
    /// `DecodeMemo`); the record is the same.
    package static func record(_ line: [UInt8], memo: DecodeMemo?) -> EventRecord? {
        var reader = Reader(parser: JSONParser(input: LineBytes(buffer: line)), memo: memo)
        do throws(Unusual) {
            let record = try reader.record()
            return reader.parser.peekToken() == nil ? record : nil  // more than one value on the line
        } catch {
            return nil
        }
    }
}

/// Anything `DirectDecoder` leaves to `RecordDecoder`.
private struct Unusual: Error {}

/// A start or end read as a date and as a date-time, for `FieldRules.time` once `allDay` is known.
private struct TimeText {
    var date: CivilDate?, dateTime: LocalDateTime?

    /// What `FieldRules.time(_:allDay:)` gives for the text: a date of exactly ten characters for
    /// an all-day event (ten bytes here: any other byte fails the date's digits anyway).
    func time(allDay: Bool) -> EventTime? {
        allDay ? date.map { .date($0) } : dateTime.map { .dateTime($0) }
    }
}

/// The members of the objects it reads, by their position in the schema.
private enum RootKey: Int, CaseIterable {
    case schemaVersion, id, sequence, status, previousStart, defaultLanguage, title, summary, description,
         descriptionFormat, url, timeZone, allDay, start, end, attendanceMode, online, venue, organizer, partners,
         categories, keywords, created, updated
    static let table = KeyTable<RootKey>()
}
private enum OnlineKey: Int, CaseIterable {
    case url, label, features
    static let table = KeyTable<OnlineKey>()
}
private enum VenueKey: Int, CaseIterable {
    case id, name, room, address, geo, url
    static let table = KeyTable<VenueKey>()
}
private enum AddressKey: Int, CaseIterable {
    case street, locality, region, regionCode, postalCode, countryCode
    static let table = KeyTable<AddressKey>()
}
private enum GeoKey: Int, CaseIterable {
    case lat, lon, accuracyMeters
    static let table = KeyTable<GeoKey>()
}
private enum PartyKey: Int, CaseIterable {
    case kind, name, url, email
    static let table = KeyTable<PartyKey>()
}
private enum CategoryKey: Int, CaseIterable {
    case slug, label, scheme
    static let table = KeyTable<CategoryKey>()
}

/// Finds a key among the case names of `Key` by its bytes.
private struct KeyTable<Key: RawRepresentable & CaseIterable> where Key.RawValue == Int {
    private let names = NameTable(Key.allCases.map { String(describing: $0) })

    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Key? { names.index(of: bytes).flatMap(Key.init(rawValue:)) }
}

/// `Language.commonTagNames` that are their own canonical form.
private let canonicalTags = NameTable(Language.commonTagNames.filter { FieldRules.languageTag($0) == $0 })

private struct Reader {
    var parser: JSONParser<LineBytes>
    let memo: DecodeMemo?

    // MARK: tokens

    /// Consumes `byte`, the next token. Inlined, as `more` is: about a hundred calls a record.
    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(Unusual) {
        guard parser.peekToken() == byte else { throw Unusual() }
        parser.input.position += 1
    }

    /// After a member or an element: true for another one, false at `close`.
    @inline(__always)
    mutating func more(_ close: UInt8) throws(Unusual) -> Bool {
        guard let b = parser.peekToken() else { throw Unusual() }
        parser.input.position += 1
        if b == 0x2C { return true }
        if b == close { return false }
        throw Unusual()
    }

    /// Where a walk through an object's members is (see `nextKey`).
    struct Members {
        var opened = false
        /// The keys seen, by their bit.
        var seen: UInt64 = 0
    }

    /// The key of the object's next member, its colon consumed, or nil after the last one;
    /// the first call opens the object. Every key must be one of `table`'s, and at most once.
    ///
    /// A loop over this (`while let key = try nextKey(…)`) rather than a closure called for
    /// each member: the fields a closure filled in were its captures, and the record's parts
    /// were copied out of them.
    @inline(__always)
    mutating func nextKey<Key>(_ table: KeyTable<Key>, _ members: inout Members) throws(Unusual) -> Key? {
        if !members.opened {
            members.opened = true
            try expect(0x7B)
            if parser.peekToken() == 0x7D {
                parser.input.position += 1
                return nil
            }
        } else if !(try more(0x7D)) {
            return nil
        }
        try expect(0x22)
        // A key with an escape (or any byte past the chunk) is not read here.
        guard let bytes = plainString(), let key = parser.input.withBytes(bytes, table.find) else { throw Unusual() }
        parser.input.position = bytes.upperBound + 1
        let bit: UInt64 = 1 << UInt64(key.rawValue)
        guard members.seen & bit == 0 else { throw Unusual() }
        members.seen |= bit
        try expect(0x3A)
        return key
    }

    /// The object at hand as `decode` reads it, or, when `table` has its bytes, the value they
    /// decoded to before (the object is then stepped over).
    @inline(__always)
    mutating func remembered<Value>(_ table: MemoTable<Value>?, _ decode: (inout Reader) throws(Unusual) -> Value)
        throws(Unusual) -> Value
    {
        guard let table, table.worthALook(), parser.peekToken() == 0x7B else { return try decode(&self) }
        let start = parser.input.position
        var hash: UInt64 = 0
        let length = parser.input.buffer.withUnsafeBufferPointer { line in
            agenda_json_object_extent(line.baseAddress! + start, min(line.count - start, MemoTable<Value>.longest), &hash)
        }
        guard length > 0 else { return try decode(&self) }
        let bytes = start..<start + length
        if let value = parser.input.withBytes(bytes, { table.value(for: $0, hash: hash) }) {
            parser.input.position = bytes.upperBound
            return value
        }
        let value = try decode(&self)
        if parser.input.position == bytes.upperBound {
            parser.input.withBytes(bytes) { table.remember(value, for: $0, hash: hash) }
        }
        return value
    }

    /// Calls `body` for each element of an array.
    mutating func array(_ body: (inout Reader) throws(Unusual) -> Void) throws(Unusual) {
        try expect(0x5B)
        if parser.peekToken() == 0x5D {
            parser.input.position += 1
            return
        }
        repeat { try body(&self) } while try more(0x5D)
    }

    // MARK: values

    /// A string value, in NFC (as `RecordDecoder` keeps it).
    mutating func string() throws(Unusual) -> String {
        try expect(0x22)
        // Without an escape (nearly every text) straight from the line, checked for UTF-8 and
        // NFC at once; invalid bytes go the usual way, which says where they are.
        if let bytes = plainString(), bytes.count <= JSONLimits.maxStringBytes {
            let (text, nfc) = parser.input.withBytes(bytes, validUTF8)
            guard let text else { throw Unusual() }
            parser.input.position = bytes.upperBound + 1
            return nfc ? text : Language.nfc(text)
        }
        guard let (s, repaired) = try? parser.parseString(), !repaired, !parser.oversized else { throw Unusual() }
        return Language.nfc(s)
    }

    /// A string value handed to `parse` as UTF-8 bytes: dates and times, which never need a
    /// `String` of their own (four heap blocks a record, each checked as UTF-8 and for NFC, then
    /// freed). A value without an escape (all but a few) is parsed where it is in the line; one
    /// with an escape is made a `String` as `string()` makes it, and its bytes parsed.
    mutating func plainValue<T>(_ parse: (UnsafeBufferPointer<UInt8>) -> T) throws(Unusual) -> T {
        try expect(0x22)
        guard let bytes = plainString() else {
            parser.input.position -= 1  // back to the opening quote
            return try string().withUTF8Bytes(parse)
        }
        parser.input.position = bytes.upperBound + 1
        return parser.input.withBytes(bytes, parse)
    }

    /// Where the bytes of the string just opened are in the line, when it ends at the next quote
    /// with no escape in it; nothing is consumed (the caller moves past the closing quote once it
    /// has what it wants from them).
    func plainString() -> Range<Int>? {
        let run = parser.input.plainStringRun()
        let start = parser.input.position
        guard start + run < parser.input.buffer.count, parser.input.buffer[start + run] == 0x22 else { return nil }
        return start..<start + run
    }

    /// A number's value, read where it is in the line (its text is never kept: `RecordDecoder`
    /// keeps it only to name it in a message).
    mutating func number() throws(Unusual) -> Double {
        guard let b = parser.peekToken(), b == 0x2D || (b >= 0x30 && b <= 0x39) else { throw Unusual() }
        let start = parser.input.position
        let end = parser.input.buffer.withUnsafeBufferPointer { line in
            var end = start
            while end < line.count, end - start <= 64, JSONParser<LineBytes>.isNumberByte(line[end]) { end += 1 }
            return end
        }
        guard end - start <= 64, let value = parser.input.withBytes(start..<end, JSONParser<LineBytes>.numberValue) else {
            throw Unusual()
        }
        parser.input.position = end
        return value
    }

    /// A whole number ≥ 0, as `RecordDecoder.integer` takes it.
    mutating func count() throws(Unusual) -> Int {
        let d = try number()
        guard d == d.rounded(), abs(d) < 1e15, Int(d) >= 0 else { throw Unusual() }
        return Int(d)
    }

    mutating func bool() throws(Unusual) -> Bool {
        guard let b = parser.peekToken(), b == 0x74 || b == 0x66,
              let node = try? parser.parseValue(), case .bool(let value) = node.value
        else { throw Unusual() }
        return value
    }

    mutating func uri() throws(Unusual) -> String {
        let s = try string()
        guard FieldRules.isURI(s) else { throw Unusual() }
        return s
    }

    mutating func oneOf<E: RawRepresentable>(_: E.Type) throws(Unusual) -> E where E.RawValue == String {
        guard let e = E(rawValue: try string()) else { throw Unusual() }
        return e
    }

    /// A language map: valid tags (canonicalized), each once, with non-empty texts.
    mutating func localized() throws(Unusual) -> LocalizedText {
        try expect(0x7B)
        var entries: [LocalizedText.Entry] = []
        entries.reserveCapacity(2)
        repeat {
            try expect(0x22)
            let tag: String
            if let canonical = canonicalTag() {
                tag = canonical
            } else {
                guard let (key, repaired) = try? parser.parseKey(), !repaired, let canonical = FieldRules.languageTag(key)
                else { throw Unusual() }
                tag = canonical
            }
            try expect(0x3A)
            let text = try string()
            guard !text.isEmpty, !entries.contains(where: { $0.language == tag }) else { throw Unusual() }
            entries.append(LocalizedText.Entry(language: tag, text: text))
        } while try more(0x7D)
        return LocalizedText(entries: entries)
    }

    /// The key just opened when it is one of the common language tags already in canonical form
    /// (what `FieldRules.languageTag` would return for it), consumed; else nil, nothing consumed.
    /// Every text of every record has one, and the usual way checks its shape and looks it up.
    mutating func canonicalTag() -> String? {
        guard let bytes = plainString(), let tag = parser.input.withBytes(bytes, { canonicalTags.find($0)?.name }) else {
            return nil
        }
        parser.input.position = bytes.upperBound + 1
        return tag
    }

    // MARK: the record

    mutating func record() throws(Unusual) -> EventRecord {
        var version: Double?, id: String?, defaultLanguage: String?, title: LocalizedText?, timeZone: String?
        var start: TimeText?, end: TimeText?, allDay = false, previousStart: String?
        var sequence = 0, status = EventStatus.scheduled, format = DescriptionFormat.text
        var mode = AttendanceMode.offline
        var summary: LocalizedText?, description: LocalizedText?, url: String?, online: OnlineAccess?
        var venue: Venue?, organizer: Party?, partners: [Party] = [], categories: [Category] = []
        var keywords: [String] = [], created: Instant?, updated: Instant?
        var members = Members()
        while let key = try nextKey(RootKey.table, &members) {
            switch key {
            case .schemaVersion: version = try number()
            case .id: id = try string()
            case .sequence: sequence = try count()
            case .status: status = try oneOf(EventStatus.self)
            case .previousStart: previousStart = try string()
            case .defaultLanguage: defaultLanguage = try string()
            case .title: title = try localized()
            case .summary: summary = try localized()
            case .description: description = try localized()
            case .descriptionFormat: format = try oneOf(DescriptionFormat.self)
            case .url: url = try uri()
            case .timeZone: timeZone = try string()
            case .allDay: allDay = try bool()
            case .start: start = try time()
            case .end: end = try time()
            case .attendanceMode: mode = try oneOf(AttendanceMode.self)
            case .online: online = try self.online()
            case .venue: venue = try remembered(memo?.venues) { (r) throws(Unusual) in try r.venue() }
            case .organizer: organizer = try remembered(memo?.parties) { (r) throws(Unusual) in try r.party() }
            case .partners:
                try array { (r) throws(Unusual) in
                    partners.append(try r.remembered(r.memo?.parties) { (r) throws(Unusual) in try r.party() })
                }
            case .categories:
                try array { (r) throws(Unusual) in
                    categories.append(try r.remembered(r.memo?.categories) { (r) throws(Unusual) in try r.category() })
                }
            case .keywords: try array { (r) throws(Unusual) in keywords.append(try r.string()) }
            case .created: created = try instant()
            case .updated: updated = try instant()
            }
        }
        guard version == 1, let id = id.take(), FieldRules.isID(id), let tag = defaultLanguage.flatMap(FieldRules.languageTag),
              let title = title.take(), let timeZone = timeZone.take(), !timeZone.trimming(" ").isEmpty,
              let startTime = start?.time(allDay: allDay)
        else { throw Unusual() }
        var endTime: EventTime?, previous: EventTime?
        if let end {
            guard let t = end.time(allDay: allDay), t.localDateTime >= startTime.localDateTime else {
                throw Unusual()
            }
            endTime = t
        }
        if let previousStart {
            guard let t = EventTime(iso: previousStart) else { throw Unusual() }
            previous = t
        }
        // Made in one piece by the memberwise initializer, its parts moved in (`take()`), not
        // copied: a copy retains (and the variable's end releases) each of their texts. Made by
        // any other initializer, or changed after, a value this large was copied whole on its way
        // out (Swift 6.3; see `EventRecord`).
        let r = EventRecord(
            id: id, sequence: sequence, status: status, previousStart: previous, defaultLanguage: tag,
            title: title, summary: summary.take(), description: description.take(), descriptionFormat: format,
            url: url.take(), timeZone: timeZone, allDay: allDay, start: startTime, end: endTime,
            attendanceMode: mode, online: online.take(), venue: venue.take(), organizer: organizer.take(),
            partners: partners, categories: categories, keywords: keywords, created: created, updated: updated)
        guard Self.followsRules(r) else { throw Unusual() }
        return r
    }

    /// `RecordDecoder.checkRules` as a yes or no.
    static func followsRules(_ r: EventRecord) -> Bool {
        if (r.attendanceMode == .online || r.attendanceMode == .mixed) && r.online == nil { return false }
        if (r.attendanceMode == .offline || r.attendanceMode == .mixed) && !r.hasVenue { return false }
        if (r.status == .postponed || r.status == .rescheduled) && r.previousStart == nil { return false }
        func speaks(_ text: LocalizedText?) -> Bool {
            text?.entries.contains { $0.language == r.defaultLanguage } ?? true
        }
        if let v = r.venue, !(speaks(v.name) && speaks(v.room)) { return false }
        return speaks(r.title) && speaks(r.summary) && speaks(r.description)
            && speaks(r.organizer?.name) && speaks(r.online?.label)
            && r.partners.allSatisfy { speaks($0.name) } && r.categories.allSatisfy { speaks($0.label) }
    }

    /// `FieldRules.utcInstant` of the value, read from its bytes.
    mutating func instant() throws(Unusual) -> Instant {
        guard let i = try plainValue({ $0.last == UInt8(ascii: "Z") ? Instant.parse(rfc3339: $0) : nil }) else {
            throw Unusual()
        }
        return i
    }

    /// A start or end, in both forms it may have: whether the event is all day may be said after it.
    mutating func time() throws(Unusual) -> TimeText {
        try plainValue { TimeText(date: CivilDate.parse($0), dateTime: LocalDateTime.parse($0)) }
    }

    mutating func online() throws(Unusual) -> OnlineAccess {
        var url: String?, label: LocalizedText?, features: [String] = []
        var members = Members()
        while let key = try nextKey(OnlineKey.table, &members) {
            switch key {
            case .url: url = try uri()
            case .label: label = try localized()
            case .features:
                try array { (r) throws(Unusual) in
                    let f = try r.string()
                    guard FieldRules.onlineFeatures.contains(f) else { throw Unusual() }
                    features.append(f)
                }
            }
        }
        guard let url = url.take() else { throw Unusual() }
        return OnlineAccess(url: url, label: label.take(), features: features)
    }

    mutating func venue() throws(Unusual) -> Venue {
        var id: String?, name: LocalizedText?, room: LocalizedText?, url: String?
        var address: Address?, geo: GeoPoint?
        var members = Members()
        while let key = try nextKey(VenueKey.table, &members) {
            switch key {
            case .id: id = try string()
            case .name: name = try localized()
            case .room: room = try localized()
            case .url: url = try uri()
            case .address: address = try self.address()
            case .geo: geo = try self.geo()
            }
        }
        guard let name = name.take() else { throw Unusual() }
        // Made in one piece by the memberwise initializer, its parts moved in (see `record()`).
        return Venue(id: id.take(), name: name, room: room.take(), address: address.take(), geo: geo, url: url.take())
    }

    mutating func address() throws(Unusual) -> Address {
        var street: String?, locality: String?, region: String?, regionCode: String?, postalCode: String?
        var countryCode: String?
        var members = Members()
        while let key = try nextKey(AddressKey.table, &members) {
            let s = try string()
            switch key {
            case .street: street = s
            case .locality: locality = s
            case .region: region = s
            case .postalCode: postalCode = s
            case .regionCode:
                guard FieldRules.isRegionCode(s) else { throw Unusual() }
                regionCode = s
            case .countryCode:
                guard FieldRules.isCountryCode(s) else { throw Unusual() }
                countryCode = s
            }
        }
        // Made in one piece, as the venue is (see `venue()`).
        return Address(street: street.take(), locality: locality.take(), region: region.take(), regionCode: regionCode.take(),
                       postalCode: postalCode.take(), countryCode: countryCode.take())
    }

    mutating func geo() throws(Unusual) -> GeoPoint {
        var lat: Double?, lon: Double?, accuracy: Double?
        var members = Members()
        while let key = try nextKey(GeoKey.table, &members) {
            let value = try number()
            switch key {
            case .lat:
                guard value >= -90, value <= 90 else { throw Unusual() }
                lat = value
            case .lon:
                guard value >= -180, value <= 180 else { throw Unusual() }
                lon = value
            case .accuracyMeters:
                guard value >= 0 else { throw Unusual() }
                accuracy = value
            }
        }
        guard let lat, let lon else { throw Unusual() }
        return GeoPoint(latitude: lat, longitude: lon, accuracyMeters: accuracy)
    }

    mutating func party() throws(Unusual) -> Party {
        var kind = Party.Kind.organization, name: LocalizedText?, url: String?, email: String?
        var members = Members()
        while let key = try nextKey(PartyKey.table, &members) {
            switch key {
            case .kind: kind = try oneOf(Party.Kind.self)
            case .name: name = try localized()
            case .url: url = try uri()
            case .email:
                let e = try string()
                guard Email.isValid(e) else { throw Unusual() }
                email = e
            }
        }
        guard let name = name.take() else { throw Unusual() }
        return Party(name: name, kind: kind, url: url.take(), email: email.take())
    }

    mutating func category() throws(Unusual) -> Category {
        var slug: String?, label: LocalizedText?, scheme: String?
        var members = Members()
        while let key = try nextKey(CategoryKey.table, &members) {
            switch key {
            case .slug: slug = try string()
            case .label: label = try localized()
            case .scheme: scheme = try string()
            }
        }
        guard let slug = slug.take(), FieldRules.isSlug(slug), let label = label.take() else { throw Unusual() }
        return Category(slug: slug, label: label, scheme: scheme.take())
    }
}
