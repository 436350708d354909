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

    /// A record as read, with its decoding and scheduling when the reader thread did them.
    private enum Item: Sendable {
        case problem(Diagnostic)
        case record(RawRecord, Checked?)
    }

    /// What decoding and scheduling say of one record (independent of the rest of the batch).
    private struct Checked: Sendable {
        var decoded: RecordDecoder.Result
        var scheduled: Scheduler.Result?

        init(_ raw: RawRecord) {
            decoded = RecordDecoder().decode(raw)
            scheduled = decoded.record.map { Scheduler().schedule($0, origin: raw.origin) }
        }
    }

    /// Every diagnostic, every accepted event, in input order. Parsing runs on a second thread;
    /// decoding and scheduling run there too when `decodeOnReader` (when `body` is the heavier
    /// half, as when writing), else here.
    mutating func scan(_ summary: inout ExportSummary, decodeOnReader: Bool = false,
                       afterEach tick: (ExportSummary) -> Void = { _ in },
                       _ body: (ScheduledEvent, inout ExportSummary) throws -> Void) throws {
        var number = 0
        inputStarts = []
        for input in inputs {
            inputStarts.append(number)
            try ReadAhead<Item>.run(produce: { put in
                try input.read { event in
                    switch event {
                    case .problem(let d): try put(.problem(d))
                    case .record(let raw): try put(.record(raw, decodeOnReader ? Checked(raw) : nil))
                    }
                }
            }) { item in
                switch item {
                case .problem(let d):
                    summary.diagnostics.append(d)
                    if d.severity == .error, d.record != nil { summary.recordsRejected += 1; summary.recordsRead += 1 }
                case .record(let raw, let checked):
                    summary.recordsRead += 1
                    number += 1
                    let c = checked ?? Checked(raw)
                    var diagnostics = c.decoded.diagnostics
                    var scheduled: ScheduledEvent?
                    if let record = c.decoded.record {
                        if let first = accepted.record(of: record.id) {
                            diagnostics.append(raw.origin.diagnostic(.error, field: "id",
                                "duplicate id '\(record.id)' (first used by \(place(ofRecord: first))); this record is skipped"))
                        } else if let s = c.scheduled {
                            diagnostics += s.diagnostics
                            scheduled = s.event
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
                    if let e = scheduled, !diagnostics.contains(where: { $0.severity == .error }) {
                        accepted.insert(e.record.id, record: number)
                        summary.recordsAccepted += 1
                        try body(e, &summary)
                    } else {
                        summary.recordsRejected += 1
                    }
                    tick(summary)
                }
            }
        }
    }

    /// Second pass: the same records, silently; only those the first pass accepted. Reading,
    /// decoding and scheduling run on a second thread, writing (`body`) here.
    func replay(_ body: (ScheduledEvent) throws -> Void) throws {
        let accepted = self.accepted
        for (input, start) in zip(inputs, inputStarts) {
            try ReadAhead<ScheduledEvent>.run(produce: { put in
                let decoder = RecordDecoder()
                let scheduler = Scheduler()
                var number = start
                try input.read { event in
                    guard case .record(let raw) = event else { return }
                    number += 1
                    guard let record = decoder.decode(raw).record,
                          accepted.record(of: record.id) == number,
                          let e = scheduler.schedule(record, origin: raw.origin).event
                    else { return }
                    try put(e)
                }
            }, consume: body)
        }
    }

    /// "record 3 of events.json" for a record number of the whole batch.
    private func place(ofRecord number: Int) -> String {
        let i = (inputStarts.lastIndex { $0 < number }) ?? 0
        return "record \(number - inputStarts[i]) of \(inputs[i].displayName)"
    }
}
