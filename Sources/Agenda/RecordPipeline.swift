import AgendaRecords
import AgendaTime

/// Reads, decodes, de-duplicates and schedules records from every input, streaming each accepted
/// event to a closure. When the export's languages and "now" are not given, the exporter runs it
/// twice (first to learn them and to report, then to write), and the second run is told which
/// records the first one accepted.
struct RecordPipeline {
    let inputs: [RecordReader]
    let strict: Bool

    /// The first occurrence of each accepted id (the duplicate-id policy: first wins, later ones
    /// rejected), by record number in the batch.
    private(set) var accepted = IDTable()
    /// The batch record number each input starts at, to name the file of a record number.
    private var inputStarts: [Int] = []

    init(inputs: [RecordReader], strict: Bool) {
        self.inputs = inputs
        self.strict = strict
    }

    /// A record as read: raw, to be decoded here, or already decoded and scheduled (and rendered)
    /// on a worker thread, in which case its parse tree stayed there (freeing it here cost the
    /// writing thread a tenth of its time).
    private enum Item: Sendable {
        case problem(Diagnostic)
        case raw(RawRecord)
        case checked(RecordOrigin, Checked)
    }

    /// A line still to parse or a record as read (see `RecordReader.read(deferringLines:)`), to
    /// the worker that checks it.
    /// A line's bytes go back to `lines` once decoded.
    private static func check(_ read: consuming DeferredRead, worker: Int?, renderer: EventRenderer?, zones: ZoneMemo? = nil,
                              shared: DecodeMemo? = nil, lines: BufferPool? = nil) -> Item {
        let resolved: ReadEvent
        switch consume read {
        case .event(let event):
            resolved = event
        case .line(var line):
            // The usual record skips the parse tree; any other goes the long way, which explains.
            if let worker, let record = line.decodeDirectly(memo: shared) {
                lines?.give(line.takeBytes())
                let origin = line.origin
                return .checked(origin, Checked(record: record, diagnostics: [], origin: origin, renderer: renderer, worker: worker,
                                                zones: zones))
            }
            resolved = line.parse()
            lines?.give(line.takeBytes())
        }
        switch resolved {
        case .problem(let d): return .problem(d)
        case .record(let raw):
            guard let worker else { return .raw(raw) }
            return .checked(raw.origin, Checked(raw, renderer: renderer, worker: worker, zones: zones))
        }
    }

    /// What decoding and scheduling say of one record (independent of the rest of the batch).
    fileprivate struct Checked: Sendable {
        var diagnostics: [Diagnostic]
        /// The id of a record that decoded without error.
        var id: String?
        var scheduled: Scheduler.Result?
        var rendered: RenderedEvent?
        /// The worker that made it, which frees it (see `Leftovers`).
        let worker: Int?
    }

    /// Every diagnostic, every accepted event, in input order. Reading runs on a second thread;
    /// parsing, decoding and scheduling (and, with `renderer`, rendering: `body` then gets each
    /// event's rendering) on worker threads, `workers` of them (default: one per core). With no
    /// renderer they once ran on the reading thread and here, which left `agenda validate` and
    /// the first pass of an export slower than a whole one-pass export.
    mutating func scan(_ summary: inout ExportSummary, renderer: EventRenderer? = nil, workers: Int? = nil,
                       afterEach tick: ((ExportSummary) -> Void)? = nil,
                       _ body: (ScheduledEvent, RenderedEvent?, inout ExportSummary) throws -> Void) throws {
        var number = 0
        inputStarts = []
        let workerCount = workers ?? ReadAhead<DeferredRead, Item>.defaultWorkers
        let leftovers = Leftovers(workers: workerCount)
        var pending = leftovers.pending()
        // The verdict on one record: its own diagnostics, then the batch's (duplicate ids, --strict).
        func accept(_ origin: RecordOrigin, _ c: consuming Checked) throws {
            summary.recordsRead += 1
            number += 1
            var diagnostics = c.diagnostics
            var scheduled: ScheduledEvent?
            if let id = c.id {
                if let first = accepted.record(of: id) {
                    diagnostics.append(origin.diagnostic(.error, field: "id",
                        "duplicate id '\(id)' (first used by \(place(ofRecord: first))); this record is skipped"))
                } else if var s = c.scheduled.take() {
                    // Moved out of the item, not copied (`if let` copied the event).
                    diagnostics += s.diagnostics
                    scheduled = s.event.take()
                }
            }
            if strict {
                diagnostics = diagnostics.map { d in
                    var d = d
                    if d.severity == .warning { d.severity = .error; d.message += " (--strict)" }
                    return d
                }
            }
            summary.diagnostics += diagnostics
            if !diagnostics.contains(where: { $0.severity == .error }), let e = scheduled.take() {
                accepted.insert(e.record.id, record: number)
                summary.recordsAccepted += 1
                try body(e, c.rendered, &summary)
                if let worker = c.worker { leftovers.keep(e, from: worker, in: &pending) }
            } else {
                summary.recordsRejected += 1
            }
            // Only when there is someone to tell: passing the summary copied it (six lists,
            // retained and released) for every record.
            if let tick { tick(summary) }
        }
        for input in inputs {
            inputStarts.append(number)
            // The item is consumed: bound from a borrowed one, the checked record was copied.
            try Self.items(of: input, workers: workerCount, renderer: renderer, leftovers: leftovers) { (item: consuming Item) in
                switch consume item {
                case .problem(let d):
                    summary.diagnostics.append(d)
                    if d.severity == .error, d.record != nil { summary.recordsRejected += 1; summary.recordsRead += 1 }
                case .raw(let raw):
                    try accept(raw.origin, Checked(raw))
                case .checked(let origin, let checked):
                    try accept(origin, checked)
                }
            }
        }
    }

    /// The items of one input, checked (and rendered) by `workers` threads, in input order.
    private static func items(of input: RecordReader, workers: Int, renderer: EventRenderer?, leftovers: Leftovers,
                              _ consume: (consuming Item) throws -> Void) throws {
        // Each worker its own memo of zones (see `ZoneMemo`) and of the objects records share
        // (see `DecodeMemo`).
        let zones = (0..<max(workers, 1)).map { _ in ZoneMemo() }
        let shared = (0..<max(workers, 1)).map { _ in DecodeMemo() }
        let lines = BufferPool(limit: 512)
        try ReadAhead<DeferredRead, Item>.run(
            workers: workers,
            produce: { put in try input.read(deferringLines: put, recycling: lines) },
            transform: { (read: consuming DeferredRead, worker) in
                guard workers > 0 else { return check(read, worker: nil, renderer: renderer, lines: lines) }
                leftovers.free(for: worker)
                return check(read, worker: worker, renderer: renderer, zones: zones[worker], shared: shared[worker], lines: lines)
            },
            consume: consume)
    }

    /// Second pass: the same records, silently; only those the first pass accepted, each with
    /// its rendering when there is a `renderer`. Checked and rendered on worker threads as in
    /// `scan`: the second pass read and decoded on one thread and rendered on this one, and an
    /// export that learns its languages from the data took half as long again as one told them.
    func replay(renderer: EventRenderer? = nil, workers: Int? = nil,
                _ body: (ScheduledEvent, RenderedEvent?) throws -> Void) throws {
        let accepted = self.accepted
        let workerCount = workers ?? ReadAhead<DeferredRead, Item>.defaultWorkers
        let leftovers = Leftovers(workers: workerCount)
        var pending = leftovers.pending()
        for (input, start) in zip(inputs, inputStarts) {
            // Counted as `scan` counts: every item that is a record, whether or not it decodes.
            var number = start
            try Self.items(of: input, workers: workerCount, renderer: renderer, leftovers: leftovers) { (item: consuming Item) in
                var checked: Checked
                switch consume item {
                case .problem: return
                case .raw(let raw): checked = Checked(raw)
                case .checked(_, let c): checked = c
                }
                number += 1
                guard let id = checked.id, accepted.record(of: id) == number, let e = checked.scheduled?.event.take() else { return }
                try body(e, checked.rendered)
                if let worker = checked.worker { leftovers.keep(e, from: worker, in: &pending) }
            }
        }
    }

    /// "record 3 of events.json" for a record number of the whole batch.
    private func place(ofRecord number: Int) -> String {
        let i = (inputStarts.lastIndex { $0 < number }) ?? 0
        return "record \(number - inputStarts[i]) of \(inputs[i].displayName)"
    }
}

// `Checked`'s initializers are declared outside it, so that they can make it with the
// memberwise one: stored field by field, it was copied whole on its way out (Swift 6.3 -O; see
// `EventRecord`).
extension RecordPipeline.Checked {
    init(_ raw: RawRecord, renderer: EventRenderer? = nil, worker: Int? = nil, zones: ZoneMemo? = nil) {
        let decoded = RecordDecoder().decode(raw)
        self.init(record: decoded.record, diagnostics: decoded.diagnostics, origin: raw.origin, renderer: renderer, worker: worker,
                  zones: zones)
    }

    init(record: consuming EventRecord?, diagnostics: [Diagnostic], origin: RecordOrigin, renderer: EventRenderer?,
         worker: Int? = nil, zones: ZoneMemo? = nil) {
        let id = record?.id
        // Handed over, not copied: a copy retains and releases every text of the record.
        var scheduled: Scheduler.Result?
        if let record = record.take() { scheduled = Scheduler(zones: zones).schedule(record, origin: origin) }
        // Neither the renderer nor the event is bound to a name here: `if let` copied both
        // (the renderer's options and the event's parts, a dozen retains and releases a
        // record, on two threads at once).
        // The event is lent to the renderer where it is (`flatMap`): `unsafelyUnwrapped` made
        // a copy of it.
        var rendered: RenderedEvent?
        if renderer != nil, diagnostics.allSatisfy({ $0.severity != .error }) {
            rendered = scheduled?.event.flatMap { renderer?.render($0, worker: worker) }
        }
        self.init(diagnostics: diagnostics, id: id, scheduled: scheduled.take(), rendered: rendered.take(), worker: worker)
    }
}
