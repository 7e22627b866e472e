import LinearAlgebra

/// D and ∇_x D on the batch, as the Jacobian needs them (the vector field uses the BLAS form of
/// `MLPFieldEvaluator`; the finite-difference Jacobian tests compare the two).
extension MLPBatch {
    /// D(x_p) = c + s Σ_k a_k φ(h_pk).
    func computeValues() -> [Double] {
        let c = outputBias ? θ[outputBiasIndex] : 0
        return (0..<points.rows).map { p in
            c + scale * (0..<width).reduce(0) { $0 + θ[$1] * r.φ0[p * width + $1] }
        }
    }

    /// ∇_x D(x_p) = s Σ_k a_k φ′(h_pk) w_k.
    func computeGradients() -> Matrix {
        var g = Matrix(rows: points.rows, columns: dimension)
        for p in 0..<points.rows {
            for k in 0..<width {
                let factor = scale * θ[k] * r.φ1[p * width + k]
                for α in 0..<dimension { g[p, α] += factor * weight(θ, k, α) }
            }
        }
        return g
    }
}

/// Second-order quantities: what the Jacobian needs.
extension MLPBatch {
    public func parameterGradients() -> Matrix {
        var q = Matrix(rows: parameterCount, columns: points.rows)
        for p in 0..<points.rows {
            for k in 0..<width {
                let i = p * width + k
                q[k, p] = scale * r.φ0[i]
                guard trainsInner else { continue }
                let common = scale * θ[k] * r.φ1[i]
                for β in 0..<dimension { q[weightIndex(k, β), p] = common * points[p, β] }
                q[biasIndex(k), p] = common
            }
            if outputBias { q[outputBiasIndex, p] = 1 }
        }
        return q
    }

    public func mixedDerivatives() -> Matrix {
        var g = Matrix(rows: points.rows * dimension, columns: parameterCount)
        for p in 0..<points.rows {
            for k in 0..<width {
                let i = p * width + k
                for α in 0..<dimension {
                    let row = p * dimension + α
                    let wα = weight(θ, k, α)
                    g[row, k] = scale * r.φ1[i] * wα
                    guard trainsInner else { continue }
                    let common = scale * θ[k]
                    for β in 0..<dimension {
                        g[row, weightIndex(k, β)] = common * (r.φ2[i] * wα * points[p, β] + (α == β ? r.φ1[i] : 0))
                    }
                    g[row, biasIndex(k)] = common * r.φ2[i] * wα
                }
            }
        }
        return g
    }

    public func spatialHessians() -> Matrix {
        var h = Matrix(rows: points.rows * dimension, columns: dimension)
        for p in 0..<points.rows {
            for k in 0..<width {
                let factor = scale * θ[k] * r.φ2[p * width + k]
                for α in 0..<dimension {
                    for β in 0..<dimension { h[p * dimension + α, β] += factor * weight(θ, k, α) * weight(θ, k, β) }
                }
            }
        }
        return h
    }

    public func addParameterHessians(
        weights: [Double], into hessian: inout Matrix
    ) {
        guard trainsInner else { return }  // ∂²_a D = 0: the readout enters linearly
        let local = dimension + 1
        for p in 0..<points.rows {
            for k in 0..<width {
                let i = p * width + k
                let cross = weights[p] * scale * r.φ1[i]
                let curvature = weights[p] * scale * θ[k] * r.φ2[i]
                for β in 0..<local {
                    let indexβ = localIndex(k, β + 1)!
                    let ξβ = xi(points, p, β)
                    hessian[k, indexβ] += cross * ξβ
                    hessian[indexβ, k] += cross * ξβ
                    for γ in 0..<local {
                        hessian[indexβ, localIndex(k, γ + 1)!] += curvature * ξβ * xi(points, p, γ)
                    }
                }
            }
        }
    }

    public func addPenaltyCurvature(
        directions: Matrix, weights: [Double], into hessian: inout Matrix
    ) {
        guard trainsInner else { return }  // ψ is linear in a
        let local = dimension + 1
        for p in 0..<points.rows {
            for k in 0..<width {
                let i = p * width + k
                let ρ = projection(directions, p, θ, k)
                let w = weights[p] * scale
                for β in 0..<local {
                    let indexβ = localIndex(k, β + 1)!
                    let ξβ = xi(points, p, β)
                    let r̃β = β < dimension ? directions[p, β] : 0
                    let cross = w * (r.φ2[i] * ρ * ξβ + r.φ1[i] * r̃β)
                    hessian[k, indexβ] += cross
                    hessian[indexβ, k] += cross
                    for γ in 0..<local {
                        let ξγ = xi(points, p, γ)
                        let r̃γ = γ < dimension ? directions[p, γ] : 0
                        hessian[indexβ, localIndex(k, γ + 1)!] +=
                            w * θ[k] * (r.φ3[i] * ρ * ξβ * ξγ + r.φ2[i] * (ξβ * r̃γ + r̃β * ξγ))
                    }
                }
            }
        }
    }

    public func penaltyMixedDerivatives(directions: Matrix) -> Matrix {
        var m = Matrix(rows: parameterCount, columns: points.rows * dimension)
        for p in 0..<points.rows {
            for k in 0..<width {
                let i = p * width + k
                let ρ = projection(directions, p, θ, k)
                for βx in 0..<dimension {
                    let column = p * dimension + βx
                    let wβx = weight(θ, k, βx)
                    m[k, column] = scale * r.φ2[i] * ρ * wβx
                    guard trainsInner else { continue }
                    for β in 0...dimension {
                        let ξβ = xi(points, p, β)
                        let r̃β = β < dimension ? directions[p, β] : 0
                        let identity = β == βx ? r.φ2[i] * ρ : 0
                        m[localIndex(k, β + 1)!, column] =
                            scale * θ[k] * (r.φ3[i] * ρ * ξβ * wβx + identity + r.φ2[i] * r̃β * wβx)
                    }
                }
            }
        }
        return m
    }
}
