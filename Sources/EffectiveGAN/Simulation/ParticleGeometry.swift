import Foundation
import LinearAlgebra

/// Distances and angles between the rows of point matrices (particles, targets), for the observables.
///
/// At d = 784 with N = M = 100 an observation compares 10⁴ pairs of 784-vectors; these loops read each point's
/// coordinates contiguously (row-major copies) and use no `pow`, which made a d = 784 sample cost 26 ms.
enum ParticleGeometry {
    /// The rows of `a` as contiguous row-major storage.
    private static func rows(_ a: Matrix) -> [Double] { a.transposed.storage }

    /// ‖a_i − b_k‖² for every row i of `a` and k of `b`, from coordinate differences (exact to rounding, also for
    /// nearly equal points).
    static func squaredDistances(_ a: Matrix, _ b: Matrix) -> Matrix {
        let d = a.columns
        let (left, right) = (rows(a), rows(b))
        var result = Matrix(rows: a.rows, columns: b.rows)
        left.withUnsafeBufferPointer { x in
            right.withUnsafeBufferPointer { y in
                for i in 0..<a.rows {
                    for k in 0..<b.rows {
                        var sum = 0.0
                        for α in 0..<d {
                            let difference = x[i * d + α] - y[k * d + α]
                            sum += difference * difference
                        }
                        result[i, k] = sum
                    }
                }
            }
        }
        return result
    }

    /// For each row of `points`, the index of the nearest row of `candidates` (Euclidean; the first on ties).
    static func nearestRows(of points: Matrix, among candidates: Matrix) -> [Int] {
        nearestColumns(in: squaredDistances(points, candidates))
    }

    /// For each row of a distance matrix, the column of the smallest entry (the first on ties).
    static func nearestColumns(in distances: Matrix) -> [Int] {
        (0..<distances.rows).map { i in
            (0..<distances.columns).min { distances[i, $0] < distances[i, $1] } ?? 0
        }
    }

    /// cos ∠(a_i, b_k) = a_i·b_k / (‖a_i‖ ‖b_k‖) for every pair of rows, by one `dgemm`; 0 where either is the zero
    /// vector (it has no direction).
    static func cosines(_ a: Matrix, _ b: Matrix) -> Matrix {
        var dots = Matrix.product(a, b, transB: .transposed)
        let normsA = (0..<a.rows).map { i in (0..<a.columns).reduce(0.0) { $0 + a[i, $1] * a[i, $1] }.squareRoot() }
        let normsB = (0..<b.rows).map { k in (0..<b.columns).reduce(0.0) { $0 + b[k, $1] * b[k, $1] }.squareRoot() }
        for i in 0..<a.rows {
            for k in 0..<b.rows {
                let scale = normsA[i] * normsB[k]
                dots[i, k] = scale > 0 ? dots[i, k] / scale : 0
            }
        }
        return dots
    }

    /// For each row of `points`, the row of `candidates` with the largest cosine similarity (the first on ties).
    static func mostAlignedRows(of points: Matrix, among candidates: Matrix) -> [Int] {
        let similarity = cosines(points, candidates)
        return (0..<points.rows).map { i in
            (0..<candidates.rows).max { similarity[i, $0] < similarity[i, $1] } ?? 0
        }
    }

    /// Mean |cos| over the pairs i ≠ j of rows of `points` (0 for a single point).
    static func meanAbsoluteCosine(_ points: Matrix) -> Double {
        let n = points.rows
        guard n > 1 else { return 0 }
        let similarity = cosines(points, points)
        var sum = 0.0
        for i in 0..<n { for j in 0..<n where j != i { sum += abs(similarity[i, j]) } }
        return sum / Double(n * (n - 1))
    }
}
