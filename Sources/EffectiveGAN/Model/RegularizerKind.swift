/// The swept gradient regulariser R(θ; X) of spec §3 (subtracted from V_D with strength γ).
public enum RegularizerKind: String, CaseIterable, Codable, Sendable {
    /// R = 0.
    case none
    /// R1 = ½ (1/M) Σ_m ‖∇_x D(y_m)‖²: gradient penalty on real data (Mescheder et al. 2018).
    case r1
    /// R2 = ½ (1/N) Σ_i ‖∇_x D(x_i)‖²: gradient penalty on generated data.
    case r2
    /// R = ½ ‖θ‖² over the trained parameters (weight decay as the swept regulariser).
    case l2
}
