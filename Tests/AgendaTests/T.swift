import Testing
import AgendaTime

@Test func probe() throws {
    for z in ["America/Santiago", "Asia/Jerusalem", "America/Nuuk", "Europe/Dublin", "America/Asuncion"] {
        let zz = try Zone.named(z)
        print(zz.vtimezone(from: Instant(rfc3339: "2045-01-01T00:00:00Z")!))
        print(z, zz.transitions(from: Instant(rfc3339: "2045-01-01T00:00:00Z")!, to: Instant(rfc3339: "2046-01-01T00:00:00Z")!).map { "\($0.instant) \($0.offsetBefore)->\($0.offsetAfter)" })
    }
}
