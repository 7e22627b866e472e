/// ‖v‖₂ = √(Σ v_i²): every Euclidean norm in the toolkit (residuals, perturbation sizes, displacements).
public func euclideanNorm<V: Sequence>(_ v: V) -> Double where V.Element == Double {
    v.reduce(0) { $0 + $1 * $1 }.squareRoot()
}

/// ‖a − b‖₂ for two vectors of equal length.
public func euclideanDistance(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "vectors of lengths \(a.count) and \(b.count)")
    return euclideanNorm(zip(a, b).lazy.map { $0 - $1 })
}
