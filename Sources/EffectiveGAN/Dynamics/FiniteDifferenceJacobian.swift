import LinearAlgebra

extension EffectiveModel {
    /// Central-difference Jacobian (F(z + h e_j) − F(z − h e_j)) / 2h with h = `step`·max(1, |z_j|).
    ///
    /// The reference the analytic Jacobian is checked against (spec §6: agreement to 1e-6 relative, Frobenius).
    /// The default step 1e-5 balances truncation (∝ h²) against rounding (∝ ε/h) for O(1) states.
    public func finiteDifferenceJacobian(at z: [Double], step: Double = 1e-5) -> Matrix {
        var jacobian = Matrix(rows: stateDimension, columns: stateDimension)
        for j in 0..<stateDimension {
            let h = step * max(1, abs(z[j]))
            var plus = z
            var minus = z
            plus[j] += h
            minus[j] -= h
            let fPlus = field(at: plus)
            let fMinus = field(at: minus)
            for i in 0..<stateDimension { jacobian[i, j] = (fPlus[i] - fMinus[i]) / (plus[j] - minus[j]) }
        }
        return jacobian
    }
}
