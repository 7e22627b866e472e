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
    /// With packing: the fake packs' coordinates and their pushes g′(D)∇D.
    let packs: ScratchBuffer
    let packPush: ScratchBuffer
    /// With an optimal discriminator: θ* of the last call, Newton's warm start for the next.
    var slavedParameters: [Double]?

    init(_ model: EffectiveModel, layout: FieldLayout = .automatic) {
        self.model = model
        discriminator = model.fieldEvaluator.make(model.fakeCount, model.realPoints, model.memory != nil, layout)
        push = ScratchBuffer(model.particleBlockLength)
        realWeights = ScratchBuffer(model.realCount)
        fakeWeights = ScratchBuffer(model.fakeCount)
        let packLength = model.packing.map { model.fakeCount * $0.size * model.dimension } ?? 0
        packs = ScratchBuffer(packLength)
        packPush = ScratchBuffer(packLength)
        if model.optimalDiscriminator { slavedParameters = model.discriminator.equilibriumParameters }
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
        let workspace = makeFieldWorkspace()
        return Self.arrayResult(z, count: stateDimension) { field(at: $0, into: $1, workspace: workspace) }
    }

    /// Writes F(z) into `out` (length `stateDimension`), allocating nothing (an optimal discriminator's Newton
    /// solve for θ*(X) does allocate).
    public func field(
        at z: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, workspace: FieldWorkspace
    ) {
        if optimalDiscriminator {
            slavedField(at: z, into: out, workspace: workspace)
        } else {
            fullField(at: z, into: out, workspace: workspace)
        }
    }

    /// The full flow (ẋ, θ̇, ṁ) at a full state (X, θ, memory).
    func fullField(
        at z: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, workspace: FieldWorkspace
    ) {
        let nd = particleBlockLength
        let θ = z + nd
        let evaluator = workspace.discriminator
        if let packing {
            packing.gather(z, into: workspace.packs.pointer)
            evaluator.load(particles: workspace.packs.pointer, parameters: θ)
        } else {
            evaluator.load(particles: z, parameters: θ)
        }

        // Generator: ẋ = (K ⊗ I) u.
        let fakeValues = evaluator.values(.particles)
        let fakeGradients = evaluator.gradients(.particles)
        // g′(D)∇D per fake point, straight into u without packing, else per pack and then summed into u.
        let width = discriminator.dimension
        let pushes = packing == nil ? workspace.push.pointer : workspace.packPush.pointer
        for q in 0..<fakeCount {
            let slope = loss.gPrime(fakeValues[q])
            for r in 0..<width { pushes[q * width + r] = slope * fakeGradients[q * width + r] }
        }
        packing?.scatter(
            pushes, scale: Double(particleCount) / Double(fakeCount), into: workspace.push.pointer)
        if let likelihood {
            for i in 0..<particleCount {
                let x = UnsafeBufferPointer(start: z + i * dimension, count: dimension)
                let force = likelihood.force(at: x, targets: targets)
                for α in 0..<dimension { workspace.push[i * dimension + α] += force[α] }
            }
        }
        kernel.apply(to: workspace.push.pointer, blockSize: dimension, into: out)

        // Discriminator: θ̇ = η_D ∇_θ V_D.
        let ascent = out + nd
        ascent.update(repeating: 0, count: parameterCount)
        let realValues = evaluator.values(.targets)
        for m in 0..<realCount { workspace.realWeights[m] = loss.fPrime(realValues[m]) / Double(realCount) }
        let share = fakeShares
        for i in 0..<fakeCount {
            workspace.fakeWeights[i] = -share.particles * loss.fPrime(-fakeValues[i]) / Double(fakeCount)
        }
        var decay = weightDecay
        var penalty = (targets: 0.0, particles: 0.0)
        switch regularizer {
        case .none: break
        case .l2: decay += gamma
        case .r1: penalty.targets = -gamma / Double(realCount)
        case .r2: penalty.particles = -gamma / Double(fakeCount)
        }
        evaluator.addAscent(
            .targets, weights: workspace.realWeights.pointer, penalty: penalty.targets, parameters: θ, into: ascent)
        evaluator.addAscent(
            .particles, weights: workspace.fakeWeights.pointer, penalty: penalty.particles, parameters: θ,
            into: ascent)
        if let memory {
            // Fictitious play: the fake data are the mixture (1 − ω)·particles + ω·memory; ṁ = (x − m)/τ.
            let m = z + memoryOffset
            evaluator.loadMemory(m, parameters: θ)
            let memoryValues = evaluator.values(.memory)
            for i in 0..<particleCount {
                workspace.fakeWeights[i] = -share.memory * loss.fPrime(-memoryValues[i]) / Double(particleCount)
            }
            evaluator.addAscent(
                .memory, weights: workspace.fakeWeights.pointer, penalty: 0, parameters: θ, into: ascent)
            for i in 0..<nd { out[memoryOffset + i] = (z[i] - m[i]) / memory.tau }
        }
        for p in 0..<parameterCount { ascent[p] = etaD * (ascent[p] - decay * θ[p]) }
    }

    /// The full field at a full state, as an array (Newton's gradient for θ*).
    func fullField(at z: [Double], workspace: FieldWorkspace) -> [Double] {
        Self.arrayResult(z, count: fullStateDimension) { fullField(at: $0, into: $1, workspace: workspace) }
    }

    /// Runs a pointer-level field on an array and returns its `count` outputs as an array.
    private static func arrayResult(
        _ z: [Double], count: Int, _ body: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void
    ) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        z.withUnsafeBufferPointer { zp in out.withUnsafeMutableBufferPointer { body(zp.baseAddress!, $0.baseAddress!) }
        }
        return out
    }
}
