internal import CGSL

/// Gauss–Hermite quadrature from GSL's fixed-point rules (`gsl_integration_fixed_hermite`), normalised for the
/// standard normal: Σ_k w_k f(x_k) ≈ E[f(X)], X ~ N(0, 1). Exact for polynomials of degree < 2n.
public enum GaussHermite {
    /// n nodes and weights (weights sum to 1).
    public static func rule(points n: Int) -> [(node: Double, weight: Double)] {
        GSLErrorHandling.disableAbort()
        // Weight exp(−b(x − a)²) with a = 0, b = ½: the standard normal density up to 1/√(2π).
        guard let workspace = gsl_integration_fixed_alloc(cgsl_fixed_hermite(), n, 0, 0.5, 0, 0) else { return [] }
        defer { gsl_integration_fixed_free(workspace) }
        let nodes = gsl_integration_fixed_nodes(workspace)!
        let weights = gsl_integration_fixed_weights(workspace)!
        let total = (0..<n).reduce(0.0) { $0 + weights[$1] }
        return (0..<n).map { (nodes[$0], weights[$0] / total) }
    }
}
