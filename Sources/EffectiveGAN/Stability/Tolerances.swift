/// Every numerical tolerance of the toolkit, each with its source in `MODEL.md`.
public enum Tolerance {
    /// Spec §5: the matched state is accepted as an equilibrium when ‖F(z*)‖₂ ≤ 1e-12.
    public static let equilibriumResidual = 1e-12
    /// Spec §6: the relative rounding width of an eigenvalue. Under the fallback rule λ is neutral when
    /// |λ| ≤ 1e-8·ρ (ρ = max(1, max|λ|)) and oscillatory when |Im λ| > 1e-8·ρ; under the structure rule a mode's
    /// own width is 1e-8·√(ν|λ|), ν the norm of the matrix it came from (`Mode.roundingLevel`). 1e-8 ≈ √ε: the
    /// splitting rounding causes at a defective (critically damped) pair.
    public static let spectral = 1e-8
    /// Spec §6: the numerical rank of a block of J (a Gram matrix or the damping): eigenvalues above 1e-10 times the
    /// block's largest count. Rounding leaves null eigenvalues near n·ε ≈ 1e-13 of the largest; 1e-10 keeps a margin
    /// of 10³ above that and still counts genuinely weak directions (a singular value 1e-5 of the largest) as rank.
    public static let structuralRank = 1e-10
    /// Spec §6: the rounding level of Re λ under the structure rule, relative to the norm ν of the matrix λ came
    /// from: `dgeev` is backward stable to ε·ν ≈ 2e-16 ν; 1e-12 allows a condition number of ~10⁴.
    public static let backwardError = 1e-12
    /// Relative accuracy an eigenvalue must keep: when the first-order form of the quadratic eigenproblem leaves
    /// some |λ| with less (ε‖M‖/|λ| above this, heavy damping at large γ), the slow group is recomputed from M⁻¹.
    public static let eigenvalueAccuracy = 1e-10
    /// Spec §6: analytic and central-difference Jacobians agree to 1e-6 relative in the Frobenius norm.
    public static let jacobianAgreement = 1e-6
    /// Spec §6–7: critical points, the optimal strength and the largest stable step are refined to 1e-6 relative.
    public static let refinement = 1e-6
}
