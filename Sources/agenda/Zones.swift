import Agenda
import ArgumentParser
import Foundation

/// `agenda zones`: how each event's time zone was read and where its times land — the command to
/// run when "my event is an hour off".
struct Zones: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each event's zone decision, offsets, UTC instants and warnings.")

    @OptionGroup var input: InputOptions

    func run() throws {
        print("tz data \(TimeZoneData.version) from \(TimeZoneData.source) (ICU \(TimeZoneData.icuVersion), built-in tz \(TimeZoneData.icuBuiltinVersion))")
        let decoder = RecordDecoder()
        let scheduler = Scheduler()
        var failed = false
        for reader in try input.readers() {
            do {
                try reader.read { event in
                    switch event {
                    case .problem(let d):
                        print(d)
                        failed = failed || d.severity == .error
                    case .record(let raw):
                        let decoded = decoder.decode(raw)
                        guard let record = decoded.record else {
                            for d in decoded.diagnostics { print(d) }
                            failed = true
                            return
                        }
                        let s = scheduler.schedule(record, origin: raw.origin)
                        print("\n\(raw.origin.file):\(raw.origin.line): \(record.id)")
                        print("  timeZone  \(record.timeZone)")
                        guard let e = s.event else {
                            for d in s.diagnostics { print("  ✗ \(d.field.map { $0 + ": " } ?? "")\(d.message)") }
                            failed = true
                            return
                        }
                        print("  decision  \(e.zoneDecision.explanation)")
                        line("start", record.start, e.start, e.zone)
                        if let end = e.end { line(record.allDay ? "end (excl.)" : "end", record.end ?? record.start, end, e.zone) }
                        if let next = e.zone.nextTransition(after: e.start) {
                            print("  next change \(next.instant) (\(Instant.offsetString(next.offsetBefore, colon: true)) → \(Instant.offsetString(next.offsetAfter, colon: true)))")
                        }
                        for d in s.diagnostics { print("  ⚠ \(d.field.map { $0 + ": " } ?? "")\(d.message)") }
                    }
                }
            } catch {
                throw CLIError("\(error)")
            }
        }
        if failed { throw ExitCode(1) }
    }

    private func line(_ label: String, _ local: EventTime, _ instant: Instant, _ zone: Zone) {
        let offset = zone.offset(at: instant)
        let shown = zone.localTime(at: instant)
        let dst = zone.isDaylightTime(at: instant) ? ", daylight time" : ""
        print("  \(label.padding(toLength: 9, withPad: " ", startingAt: 0)) \(local) → \(shown) \(Instant.offsetString(offset, colon: true))\(dst) = \(instant)")
    }
}
