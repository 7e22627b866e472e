import EffectiveGAN

/// The stable JSON forms of modes and analyses (documented in `docs/json-schema.md`).
extension Mode {
    /// Parts inside the mode's rounding level are written as 0 (`resolvedEigenvalue`); `multiplicity` appears
    /// for closed-form groups only.
    public var json: JSONValue {
        let λ = resolvedEigenvalue
        return .object(
            [
                ("re", .number(λ.real)), ("im", .number(λ.imaginary)), ("rate", .number(rate)),
                ("frequency", .number(frequency)), ("dampingRatio", .number(dampingRatio)),
                ("kind", .string(kind.rawValue)),
            ] + (multiplicity > 1 ? [("multiplicity", .integer(multiplicity))] : []))
    }
}

extension Spectrum {
    /// Counts per class.
    public var countsJSON: JSONValue {
        .object(
            ModeKind.allCases.map { ($0.rawValue, JSONValue.integer(count(of: $0))) } + [
                ("unstable", .integer(unstableCount))
            ])
    }
}

extension NeutralBreakdown {
    public var json: JSONValue {
        .object([
            ("unseenParticleDirections", .integer(unseenParticleDirections)),
            ("immobileParticleDirections", .integer(immobileParticleDirections)),
            ("innerWeights", .integer(innerWeights)), ("unseenFeatures", .integer(unseenFeatures)),
            ("outputBias", .integer(outputBias)), ("undampedReadout", .integer(undampedReadout)),
        ])
    }
}

extension StabilityAnalysis {
    /// `egan analyze --json` (schema `egan.analyze/2`).
    public func json(model: EffectiveModel, name: String) -> JSONValue {
        var kernelJSON = JSONValue.null
        if let eigen = model.kernel.universalEigenvalues {
            let relative: JSONValue = model.particleCount > 1 ? .number(eigen.relative) : .null
            kernelJSON = .object([("relative", relative), ("centre", .number(eigen.centre))])
        } else if let modes = try? model.kernel.kernelModes() {
            kernelJSON = .object([
                ("relative", .number(modes.relative)), ("centre", .number(modes.centre)),
                ("universalRelative", .number(modes.fit.g1 - modes.fit.g2)),
                ("universalCentre", .number(modes.fit.g1 + Double(model.particleCount - 1) * modes.fit.g2)),
                ("universalRatio", .number(modes.fit.ratio)), ("universalResidual", .number(modes.fit.residual)),
            ])
        }
        return .object([
            ("schema", .string("egan.analyze/2")), ("model", .string(name)), ("loss", .string(model.loss.rawValue)),
            ("regularizer", .string(model.regularizer.rawValue)), ("gamma", .number(gamma)),
            ("particles", .integer(model.particleCount)), ("targets", .integer(model.targetCount)),
            ("dimension", .integer(model.dimension)), ("parameters", .integer(model.parameterCount)),
            ("stateDimension", .integer(stateDimension)),
            ("diagonalisedDimension", .integer(diagonalisedDimension)), ("method", .string(method.rawValue)),
            ("neutralRule", .string(spectrum.neutralRule.rawValue)),
            ("neutralBreakdown", spectrum.neutralBreakdown?.json ?? .null),
            (
                "equilibriumShift",
                movedEquilibrium.map {
                    .object([
                        ("particles", .number($0.particleShift)), ("parameters", .number($0.parameterShift)),
                        ("newtonSteps", .integer($0.iterations)),
                    ])
                } ?? .null
            ),
            ("equilibriumResidual", .number(equilibriumResidual)),
            ("kernelEigenvalues", kernelJSON), ("counts", spectrum.countsJSON),
            ("regime", .string(spectrum.regime.rawValue)),
            ("rate", .number(spectrum.rate)), ("dominant", spectrum.dominantMode?.json ?? .null),
            ("modes", .array(spectrum.activeModesByRate.map(\.json))),
        ])
    }
}
