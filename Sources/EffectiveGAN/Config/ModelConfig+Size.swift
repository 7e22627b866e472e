/// The memory a config's model will need, estimated from its sizes before anything is allocated, so that a
/// width of 10¹² or a million particles is refused with the estimate instead of aborting in an allocation.
extension ModelConfig {
    /// The largest terms of the working set, in bytes, each with the config path that sets it.
    ///
    /// - the discriminator's weights (H_1 × m·d and H_l × H_{l−1}, kept three times: resolved rows, flat copy,
    ///   analysis geometry);
    /// - the kernel matrix K (N × N or (N·d) × (N·d), twice: resolved and operator), and for `ntk` the latent samples (N × d_z);
    /// - targets, particles, initial particles (dimension d);
    /// - the analysis: about eight H × H Gram blocks and `dgeev` on a matrix of size up to 2H + 1;
    /// - the N × H and M × H responses (named after the larger of N and M).
    var memoryTerms: [(path: String, bytes: Double)] {
        let n = Double(generator.particles)
        let m = Double(target.count)
        let d = Double(dimension)
        let h = discriminator.kind == .mlp ? Double(discriminator.width) : d
        // Inner weights of every layer: H_1·(m·d) for the first, H_l·H_{l−1} after it.
        let widths = discriminator.layers.map(Double.init)
        let inner =
            discriminator.kind == .mlp
            ? widths[0] * d * Double(discriminator.pack) + zip(widths.dropFirst(), widths).reduce(0) { $0 + $1.0 * $1.1 }
            : h * d * Double(discriminator.pack)
        var latent = 0.0
        if case let .ntk(_, latentDimension, _, _) = generator.kernel { latent = n * Double(latentDimension) }
        // A block kernel is (N·d)², kept twice (resolved and operator): it is the largest term then.
        var kernelSide = n
        if case let .explicit(rows) = generator.kernel { kernelSide = Double(rows.count) }
        return [
            (discriminator.widthsKey, 8 * (3 * inner + 8 * h * h + 8 * (2 * h + 1) * (2 * h + 1))),
            // The responses at the points: named after whichever of N and M is larger.
            (n >= m ? "generator.particles" : target.countKey, 8 * 2 * (n + m) * h),
            // A deep critic's structure holds the feature Jacobians, (N + M)·d × H_L, and copies of them.
            (discriminator.widthsKey, discriminator.layers.count > 1 ? 8 * 4 * (n + m) * d * h : 0),
            ("generator.particles", 8 * (2 * kernelSide * kernelSide + 3 * n * d)),
            ("generator.kernel.latentDimension", 8 * latent),
            ("dimension", 8 * m * d),
        ]
    }

    /// Throws `ConfigError.invalidValue` naming the path with the largest term when the total exceeds the budget.
    func checkMemory() throws {
        let terms = memoryTerms
        let total = terms.reduce(0) { $0 + $1.bytes }
        do {
            try MemoryBudget.check(total.isFinite ? total : .greatestFiniteMagnitude, for: "the model")
        } catch ModelError.exceedsMemoryBudget(_, _, let budget) {
            let largest = terms.max { $0.bytes < $1.bytes }!
            throw ConfigError.invalidValue(
                path: largest.path,
                reason:
                    "makes the model need about \(MemoryBudget.describe(total)), above the memory budget of \(MemoryBudget.describe(budget)); use a smaller value, or raise the budget with EGAN_MEMORY_BUDGET (e.g. 64G)"
            )
        }
    }
}

extension TargetSpec {
    /// The key that sets the number of targets M, for messages about M.
    var countKey: String {
        if samplesPerMode > 1 { return "target.samplesPerMode" }
        switch layout {
        case .ring, .line: return "target.modes"
        case .grid: return "target.side"
        case .points: return "target.points"
        case .data: return "target.subset"
        }
    }
}
