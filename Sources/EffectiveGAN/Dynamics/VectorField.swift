/// Scratch space for evaluating the flow repeatedly: the discriminator's evaluator plus the loss weights and the
/// generator push, all sized once for the model. One per integration; not thread-safe.
public final class FieldWorkspace {
    let model: EffectiveModel
    let discriminator: any DiscriminatorFieldEvaluator
    /// u_i = g′(D(x_i)) ∇_x D(x_i), N·d.
    let push: ScratchBuffer
    /// f′(D(y_m))/M.
    let realWeights: ScratchBuffer
    /// −f′(−D(x_i))/N.
    let fakeWeights: ScratchBuffer

    init(_ model: EffectiveModel) {
        self.model = model
        discriminator = model.discriminator.makeFieldEvaluator(
            particleCount: model.particleCount, targets: model.targets)
        push = ScratchBuffer(model.particleBlockLength)
        realWeights = ScratchBuffer(model.targetCount)
        fakeWeights = ScratchBuffer(model.particleCount)
    }
}

/// The coupled flow F(z) of spec §4:
///   ẋ_i = Σ_j K_ij g′(D(x_j)) ∇_x D(x_j),
///   θ̇ = η_D ∇_θ V_D = η_D [ (1/M) Σ_m f′(D(y_m)) q_m − (1/N) Σ_i f′(−D(x_i)) q_i − γ ∇_θ R − μ θ ].
extension EffectiveModel {
    /// Buffers for `field(at:into:workspace:)`; make one per integration and reuse it for every call.
    public func makeFieldWorkspace() -> FieldWorkspace { FieldWorkspace(self) }

    /// F(z), a vector of length `stateDimension` (allocates; hot loops use `field(at:into:workspace:)`).
    public func field(at z: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: stateDimension)
        let workspace = makeFieldWorkspace()
        z.withUnsafeBufferPointer { zp in
            out.withUnsafeMutableBufferPointer {
                field(at: zp.baseAddress!, into: $0.baseAddress!, workspace: workspace)
            }
        }
        return out
    }

    /// Writes F(z) into `out` (length `stateDimension`), allocating nothing.
    public func field(
        at z: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, workspace: FieldWorkspace
    ) {
        let nd = particleBlockLength
        let θ = z + nd
        let evaluator = workspace.discriminator
        evaluator.load(particles: z, parameters: θ)

        // Generator: ẋ = (K ⊗ I) u.
        let fakeValues = evaluator.values(.particles)
        let fakeGradients = evaluator.gradients(.particles)
        for i in 0..<particleCount {
            let slope = loss.gPrime(fakeValues[i])
            for α in 0..<dimension { workspace.push[i * dimension + α] = slope * fakeGradients[i * dimension + α] }
        }
        kernel.apply(to: workspace.push.pointer, blockSize: dimension, into: out)

        // Discriminator: θ̇ = η_D ∇_θ V_D.
        let ascent = out + nd
        ascent.update(repeating: 0, count: parameterCount)
        let realValues = evaluator.values(.targets)
        for m in 0..<targetCount { workspace.realWeights[m] = loss.fPrime(realValues[m]) / Double(targetCount) }
        for i in 0..<particleCount {
            workspace.fakeWeights[i] = -loss.fPrime(-fakeValues[i]) / Double(particleCount)
        }
        evaluator.addParameterGradient(.targets, weights: workspace.realWeights.pointer, into: ascent)
        evaluator.addParameterGradient(.particles, weights: workspace.fakeWeights.pointer, into: ascent)
        var decay = weightDecay
        switch regularizer {
        case .none: break
        case .l2: decay += gamma
        case .r1: evaluator.addPenaltyGradient(.targets, weight: -gamma / Double(targetCount), into: ascent)
        case .r2: evaluator.addPenaltyGradient(.particles, weight: -gamma / Double(particleCount), into: ascent)
        }
        for p in 0..<parameterCount { ascent[p] = etaD * (ascent[p] - decay * θ[p]) }
    }
}
