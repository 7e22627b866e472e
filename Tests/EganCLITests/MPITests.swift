import Foundation
import Testing

/// Issue #16: studies under `mpirun -np 2` print exactly what one process prints, and a 2-rank job killed part-way
/// resumes to the same final result. The checks live in `scripts/mpi-check` (CI runs it too); Open MPI's
/// `mpirun` is part of the first set-up command, so its absence is a failure, not a skip.
@Suite("Studies on MPI ranks")
struct MPITests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("collapse, sweep, crosscheck on 2 ranks equal 1 process; a killed job resumes; a rank-0 error ends the job")
    func twoRanksEqualOneProcess() throws {
        let script = Self.packageRoot.appendingPathComponent("scripts/mpi-check")
        let result = try CLI.run([CLI.executable.path], in: Self.packageRoot, program: script)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("ok ") }.count == 5)
    }
}
