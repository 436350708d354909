import AgendaRecords
import AgendaTime

/// Reads, decodes, de-duplicates and schedules records from every input, streaming each accepted
/// event to a closure. The exporter runs it twice (first to learn languages and zone spans and to
/// report, then to write), so the second run is told which records the first one accepted.
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

    /// First pass: every diagnostic, every accepted event.
    mutating func scan(_ summary: inout ExportSummary, afterEach tick: (ExportSummary) -> Void = { _ in },
                       _ body: (ScheduledEvent) throws -> Void) throws {
        let decoder = RecordDecoder()
        let scheduler = Scheduler()
        var number = 0
        inputStarts = []
        for input in inputs {
            inputStarts.append(number)
            // Parsing runs on a second thread, decoding and checking here.
            try ReadAhead<ReadEvent>.run(produce: { put in try input.read { try put($0) } }) { event in
                switch event {
                case .problem(let d):
                    summary.diagnostics.append(d)
                    if d.severity == .error, d.record != nil { summary.recordsRejected += 1; summary.recordsRead += 1 }
                case .record(let raw):
                    summary.recordsRead += 1
                    number += 1
                    var result = decoder.decode(raw)
                    var diagnostics = result.diagnostics
                    var scheduled: ScheduledEvent?
                    if let record = result.record {
                        if let first = accepted.origin(of: record.id).map(IDTable.unpack) {
                            diagnostics.append(raw.origin.diagnostic(.error, field: "id",
                                "duplicate id '\(record.id)' (first used at \(place(ofRecord: first.record, line: first.line))); this record is skipped"))
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
                        accepted.insert(e.record.id, origin: IDTable.pack(record: number, line: e.origin.line))
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
                          let first = accepted.origin(of: record.id), IDTable.unpack(first).record == number,
                          let e = scheduler.schedule(record, origin: raw.origin).event
                    else { return }
                    try put(e)
                }
            }, consume: body)
        }
    }

    /// "events.json:42" for a record number of the batch (its line when known).
    private func place(ofRecord number: Int, line: Int?) -> String {
        let i = (inputStarts.lastIndex { $0 < number }) ?? 0
        let file = inputs[i].displayName
        return line.map { "\(file):\($0)" } ?? "\(file), record \(number - inputStarts[i])"
    }
}
