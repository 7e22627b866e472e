import LinearAlgebra

/// Central differences (F(z + h e_j) − F(z − h e_j)) / 2h with h = `step`·max(1, |z_j|), handed over column by
/// column: the one formula behind the particle model's reference Jacobian and a generator network's Jacobian for
/// implicit steppers (`NetworkFlow.odeSystem`). The step 1e-5 balances truncation (∝ h²) against rounding (∝ ε/h)
/// for O(1) states.
func centralDifferenceColumns(
    at z: [Double], step: Double = 1e-5, field: ([Double]) -> [Double], column: (Int, [Double]) -> Void
) {
    var point = z
    for j in z.indices {
        let h = step * max(1, abs(z[j]))
        point[j] = z[j] + h
        let plus = field(point)
        point[j] = z[j] - h
        let minus = field(point)
        point[j] = z[j]
        let width = (z[j] + h) - (z[j] - h)
        column(j, zip(plus, minus).map { ($0 - $1) / width })
    }
}

extension EffectiveModel {
    /// Central-difference Jacobian of the flow: the reference the analytic Jacobian is checked against (spec §6:
    /// agreement to 1e-6 relative, Frobenius).
    public func finiteDifferenceJacobian(at z: [Double], step: Double = 1e-5) -> Matrix {
        var jacobian = Matrix(rows: stateDimension, columns: stateDimension)
        centralDifferenceColumns(at: z, step: step, field: { field(at: $0) }) { j, column in
            for i in column.indices { jacobian[i, j] = column[i] }
        }
        return jacobian
    }
}
