import LinearAlgebra
import Numerics
import Testing

@testable import EffectiveGAN

/// Spec §4: the universal kernel's relative motions have eigenvalue η_G g₁(1 − φ)/N, the centre of mass
/// η_G g₁(1 + (N − 1)φ)/N; at φ = 1 relative motions do not move at all.
@Suite("Universal kernel structure")
struct KernelTests {
    static func kernelRows(particles: Int, ratio: Double, etaG: Double = 0.7, g1: Double = 1.4) -> [[Double]] {
        KernelSpec.universal(ratio: ratio, selfValue: g1).matrix(particles: particles, learningRate: etaG)
    }

    @Test("eigenvalues of the matrix equal the closed forms", arguments: [-0.2, 0.0, 0.3, 1.0])
    func eigenvalues(ratio: Double) throws {
        let n = 5
        let rows = Self.kernelRows(particles: n, ratio: ratio)
        let eigenvalues = try Matrix(rows).symmetricEigenvalues()
        let scale = 0.7 * 1.4 / Double(n)
        let relative = scale * (1 - ratio)
        let centre = scale * (1 + Double(n - 1) * ratio)
        let expected = (Array(repeating: relative, count: n - 1) + [centre]).sorted()
        for (a, b) in zip(eigenvalues, expected) { #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-14)) }
        // The operator's closed form against LAPACK's eigenvalues (not against the formula above): the relative
        // eigenvalue has multiplicity N − 1, the centre one is the remaining one.
        let closed = try #require(KernelOperator(rows, particles: rows.count).universalEigenvalues)
        #expect(eigenvalues.filter { $0.isApproximatelyEqual(to: closed.relative, absoluteTolerance: 1e-14) }.count >= n - 1)
        #expect(eigenvalues.contains { $0.isApproximatelyEqual(to: closed.centre, absoluteTolerance: 1e-14) })
    }

    @Test("at φ = 1 the relative particle motions have zero kernel eigenvalue")
    func rigidCoupling() throws {
        let rows = Self.kernelRows(particles: 6, ratio: 1)
        let eigenvalues = try Matrix(rows).symmetricEigenvalues()
        #expect(eigenvalues.prefix(5).allSatisfy { abs($0) <= 1e-15 })
        // A relative motion (u_1 = −u_2, others 0) is mapped to zero velocity.
        let velocity = KernelOperator(rows, particles: rows.count).apply(to: [1, -1, 0, 0, 0, 0], blockSize: 1)
        #expect(velocity.allSatisfy { abs($0) <= 1e-15 })
    }

    @Test("the universal fast path equals the dense product")
    func fastPathMatchesDense() {
        let rows = Self.kernelRows(particles: 4, ratio: 0.35)
        let blocks = Matrix(rows: 8, columns: 3, columnMajor: (0..<24).map { Double($0 % 7) - 2.5 })
        let fast = KernelOperator(rows, particles: rows.count).apply(toBlocks: blocks, blockSize: 2)
        let dense = KernelOperator.dense(Matrix(rows)).apply(toBlocks: blocks, blockSize: 2)
        #expect((fast - dense).maxAbsoluteEntry <= 1e-14)
    }
}
