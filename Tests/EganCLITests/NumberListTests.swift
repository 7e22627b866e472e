import Numerics
import Testing

@testable import EganCLI

/// One way to write numbers on every command: lists, grids, or both.
@Suite("Number lists and grids")
struct NumberListTests {
    @Test("lists, log and linear grids, and their concatenation; V:V:1 is one value")
    func parse() throws {
        #expect(try NumberList.parse("2,5,10", defaultScale: .log) == [2, 5, 10])
        let mixed = try NumberList.parse("0,0.01:1:3:log", defaultScale: .linear)
        #expect(mixed.count == 4 && mixed[0] == 0 && mixed[1] == 0.01 && mixed[2].isApproximatelyEqual(to: 0.1, absoluteTolerance: 1e-15) && mixed[3] == 1)
        #expect(try NumberList.parse("0:1:3", defaultScale: .linear) == [0, 0.5, 1])
        #expect(try NumberList.parse("0.5:0.5:1", defaultScale: .linear) == [0.5])
        #expect(throws: (any Error).self) { try NumberList.parse("0:1:3:log", defaultScale: .linear) }
        #expect(throws: (any Error).self) { try NumberList.parse("1,,2", defaultScale: .log) }
        #expect(throws: (any Error).self) { try GammaList.parse("-1,2") }
    }
}
