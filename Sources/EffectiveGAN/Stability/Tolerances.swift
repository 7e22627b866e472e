/// Every numerical tolerance of the toolkit, each with its source in `MODEL.md`.
public enum Tolerance {
    /// Spec §5: the matched state is accepted as an equilibrium when ‖F(z*)‖₂ ≤ 1e-12.
    public static let equilibriumResidual = 1e-12
    /// Spec §6: λ is neutral when |λ| ≤ 1e-8·ρ, oscillatory when |Im λ| > 1e-8·ρ, and the regime is marginal when
    /// |max Re λ| ≤ 1e-8·ρ, with ρ = max(1, max|λ|). The same relative width decides ties between dominant modes.
    public static let spectral = 1e-8
    /// Spec §6: analytic and central-difference Jacobians agree to 1e-6 relative in the Frobenius norm.
    public static let jacobianAgreement = 1e-6
    /// Spec §6–7: critical points, the optimal strength and the largest stable step are refined to 1e-6 relative.
    public static let refinement = 1e-6
}
