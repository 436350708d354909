import AgendaRecords
import AgendaTime

/// Reads, decodes, de-duplicates and schedules records from every input, streaming each accepted
/// event to a closure. The exporter runs it twice (first to learn languages and zone spans and to
/// report, then to write), so the second run is told which records the first one accepted.
struct RecordPipeline {
    let inputs: [RecordReader]
    let strict: Bool

    /// The first occurrence of each id (the duplicate-id policy: first wins, later ones rejected).
    private(set) var firstOrigin: [String: RecordOrigin] = [:]

    init(inputs: [RecordReader], strict: Bool) {
        self.inputs = inputs
        self.strict = strict
    }

    /// First pass: every diagnostic, every accepted event.
    mutating func scan(_ summary: inout ExportSummary, afterEach tick: (ExportSummary) -> Void = { _ in },
                       _ body: (ScheduledEvent) throws -> Void) throws {
        let decoder = RecordDecoder()
        let scheduler = Scheduler()
        for input in inputs {
            // Parsing runs on a second thread, decoding and checking here.
            try ReadAhead<ReadEvent>.run(produce: { put in try input.read { try put($0) } }) { event in
                switch event {
                case .problem(let d):
                    summary.diagnostics.append(d)
                    if d.severity == .error, d.record != nil { summary.recordsRejected += 1; summary.recordsRead += 1 }
                case .record(let raw):
                    summary.recordsRead += 1
                    var result = decoder.decode(raw)
                    var diagnostics = result.diagnostics
                    var scheduled: ScheduledEvent?
                    if let record = result.record {
                        if let first = firstOrigin[record.id] {
                            diagnostics.append(raw.origin.diagnostic(.error, field: "id",
                                "duplicate id '\(record.id)' (first used at \(first.file):\(first.line)); this record is skipped"))
                            result.record = nil
                        } else {
                            let s = scheduler.schedule(record, origin: raw.origin)
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
                        firstOrigin[e.record.id] = e.origin
                        summary.recordsAccepted += 1
                        try body(e)
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
        let accepted = firstOrigin
        for input in inputs {
            try ReadAhead<ScheduledEvent>.run(produce: { put in
                let decoder = RecordDecoder()
                let scheduler = Scheduler()
                try input.read { event in
                    guard case .record(let raw) = event, let record = decoder.decode(raw).record,
                          accepted[record.id] == raw.origin,
                          let e = scheduler.schedule(record, origin: raw.origin).event
                    else { return }
                    try put(e)
                }
            }, consume: body)
        }
    }
}
