import Numerics
import Testing

@testable import LinearAlgebra

@Suite("LAPACK and BLAS wrappers")
struct LinearAlgebraTests {
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
        #expect(x[0, 0].isApproximatelyEqual(to: 1, absoluteTolerance: 1e-15) && x[1, 0].isApproximatelyEqual(to: 1, absoluteTolerance: 1e-15))
        #expect(throws: LinearAlgebraError.self) { try Matrix([[1, 1], [1, 1]]).solve(Matrix([[1], [2]])) }
    }

    @Test("non-finite input is refused before LAPACK sees it")
    func nonFinite() {
        #expect(throws: LinearAlgebraError.nonFinite(routine: "dgeev")) { try Matrix([[.nan]]).eigenvalues() }
    }
}
