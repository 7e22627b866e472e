import Foundation
import Numerics
import Testing

@testable import LinearAlgebra

@Suite("LAPACK and BLAS wrappers")
struct LinearAlgebraTests {
    @Test(
        "gemm split into column blocks equals one dgemm bit for bit, and the triple loop to rounding",
        arguments: [
            (Transpose.none, Transpose.none), (.transposed, .none), (.none, .transposed), (.transposed, .transposed),
        ])
    func blockedProduct(transA: Transpose, transB: Transpose) {
        let (m, n, k) = (37, 101, 29)
        // Stored shapes of A and B, and their leading dimensions with a margin, as a network's weights have.
        let (aRows, aColumns) = transA == .none ? (m, k) : (k, m)
        let (bRows, bColumns) = transB == .none ? (k, n) : (n, k)
        let (lda, ldb, ldc) = (aRows + 3, bRows + 2, m + 1)
        let a = (0..<(lda * aColumns)).map { sin(Double($0) * 0.37) }
        let b = (0..<(ldb * bColumns)).map { cos(Double($0) * 0.11) }
        let start = (0..<(ldc * n)).map { Double($0 % 7) }
        func product(blocks: Int) -> [Double] {
            var c = start
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        BLAS.gemm(
                            transA, transB, m: m, n: n, k: k, alpha: 0.7, pa.baseAddress!, lda: lda, pb.baseAddress!,
                            ldb: ldb, beta: 0.5, pc.baseAddress!, ldc: ldc, blocks: blocks)
                    }
                }
            }
            return c
        }
        let single = product(blocks: 1)
        for blocks in [2, 3, 7, 64] { #expect(product(blocks: blocks) == single, "\(blocks) blocks") }
        for j in 0..<n {
            for i in 0..<m {
                var sum = 0.0
                for l in 0..<k {
                    let x = transA == .none ? a[l * lda + i] : a[i * lda + l]
                    let y = transB == .none ? b[j * ldb + l] : b[l * ldb + j]
                    sum += x * y
                }
                let expected = 0.7 * sum + 0.5 * start[j * ldc + i]
                #expect(single[j * ldc + i].isApproximatelyEqual(to: expected, absoluteTolerance: 1e-13))
            }
        }
        // Rows of C beyond m (the leading-dimension margin) are untouched.
        for j in 0..<n { #expect(single[j * ldc + m] == start[j * ldc + m]) }
    }

    @Test("dgeev: a rotation–decay matrix has λ = −a ± b i")
    func generalEigenvalues() throws {
        let values = try Matrix([[-0.3, 2], [-2, -0.3]]).eigenvalues()
        #expect(values.count == 2)
        for λ in values {
            #expect(abs(λ.real + 0.3) <= 1e-15)
            #expect(abs(λ.imaginary).isApproximatelyEqual(to: 2, absoluteTolerance: 1e-15))
        }
    }

    @Test("dgeev eigenvectors satisfy A v = λ v")
    func eigenvectors() throws {
        let a = Matrix([[1, 2, 0], [-3, 0.5, 1], [0.2, 0, -1]])
        let decomposition = try a.eigenDecomposition()
        for (λ, v) in zip(decomposition.values, decomposition.vectors) {
            for i in 0..<3 {
                var av = Complex<Double>(0, 0)
                for j in 0..<3 { av += Complex(a[i, j], 0) * v[j] }
                #expect((av - λ * v[i]).length <= 1e-13)
            }
        }
    }

    @Test("dgemm with transposes equals the textbook product")
    func product() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[1, 0], [0, 1], [2, -1]])
        #expect(Matrix.product(a, b) == Matrix([[7, -1], [16, -1]]))
        #expect(Matrix.product(b, a, transA: .transposed, transB: .transposed) == Matrix([[7, 16], [-1, -1]]))
    }

    @Test("dsyev and dgesv")
    func symmetricAndSolve() throws {
        let s = Matrix([[2, 1], [1, 2]])
        #expect(try s.symmetricEigenvalues() == [1, 3])
        let x = try s.solve(Matrix([[3], [3]]))
        #expect(
            x[0, 0].isApproximatelyEqual(to: 1, absoluteTolerance: 1e-15)
                && x[1, 0].isApproximatelyEqual(to: 1, absoluteTolerance: 1e-15))
        #expect(throws: LinearAlgebraError.self) { try Matrix([[1, 1], [1, 1]]).solve(Matrix([[1], [2]])) }
    }

    @Test("non-finite input is refused before LAPACK sees it")
    func nonFinite() {
        #expect(throws: LinearAlgebraError.nonFinite(routine: "dgeev")) { try Matrix([[.nan]]).eigenvalues() }
    }
}
