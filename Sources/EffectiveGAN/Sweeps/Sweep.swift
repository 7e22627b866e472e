/// One grid point of a sweep: the parameter value and the classified spectrum there.
public struct SweepPoint: Sendable, Codable {
    /// The swept parameter's value.
    public let value: Double
    public let spectrum: Spectrum
}

/// Linear stability along a grid of one parameter (spec §6), each point analysed independently on all cores (or
/// ranks: `CellExecution.current`).
public struct Sweep: Sendable {
    public let parameter: ParameterPath
    public let points: [SweepPoint]

    /// Analyses `source` at every value of `values` for `parameter`.
    public static func run(
        _ source: ModelSource, parameter: ParameterPath = .strength, values: [Double], progress: ProgressHandler? = nil
    ) throws -> Sweep {
        try source.requireLinearTheory()
        let points = try CellExecution.current.map(
            values.count, done: [:], describe: { "the point \(parameter.path) = \(Format.number(values[$0]))" },
            progress: progress, onResult: nil
        ) { k in
            SweepPoint(value: values[k], spectrum: try spectrum(source, parameter: parameter, value: values[k]))
        }
        return Sweep(parameter: parameter, points: points)
    }

    /// The classified spectrum at one value. Along γ the source's oscillator structure is built once and reused:
    /// only the damping block changes with γ.
    public static func spectrum(_ source: ModelSource, parameter: ParameterPath, value: Double) throws -> Spectrum {
        let structure = parameter == .strength ? try source.oscillatorStructure() : nil
        return try StabilityAnalysis(model: parameter.model(source, value: value), structure: structure).spectrum
    }

    public var values: [Double] { points.map(\.value) }
}
